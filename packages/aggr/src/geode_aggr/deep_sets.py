"""DeepSets: a per-message network, a sum, and a per-destination network."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare, seg_sum


class DeepSetsAggregation(Aggregation):
    r"""DeepSets :math:`\rho\left(\sum_i \phi(x_i)\right)` with ``local_nn`` = :math:`\phi` and
    ``global_nn`` = :math:`\rho` (each optional; identity when ``None``).

    Permutation invariant. An empty destination sums to zero before ``global_nn``.
    """

    def __init__(self, local_nn: torch.nn.Module | None = None,
                 global_nn: torch.nn.Module | None = None):
        super().__init__()
        self.local_nn = local_nn
        self.global_nn = global_nn

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        if self.local_nn is not None:
            x = self.local_nn(x)
        out = seg_sum(x, index, dim_size, dim)
        return self.global_nn(out) if self.global_nn is not None else out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(local_nn={self.local_nn}, global_nn={self.global_nn})"
