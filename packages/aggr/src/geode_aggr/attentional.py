"""Attentional aggregation (global soft attention): gate-weighted sums."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation
from geode_core.ops import gather_scatter

from ._segment import prepare, seg_softmax, seg_sum


class AttentionalAggregation(Aggregation):
    r"""The soft-attention aggregation :math:`\sum_i \mathrm{softmax}_i(h_{gate}(x_i)) \odot h(x_i)`.

    ``gate_nn`` maps ``[*, F]`` to ``[*, 1]`` (one weight per message) or to ``[*, C]`` (one
    weight per output channel); ``nn`` (optional, identity by default) maps ``[*, F]`` to
    ``[*, C]``. The softmax runs over the messages of each destination. Zero for a destination
    with no messages.
    """

    def __init__(self, gate_nn: torch.nn.Module, nn: torch.nn.Module | None = None):
        super().__init__()
        self.gate_nn = gate_nn
        self.nn = nn

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        gate = self.gate_nn(x)
        value = self.nn(x) if self.nn is not None else x
        if gate.dim() != value.dim() or gate.size(dim) != value.size(dim):
            raise ValueError(f"AttentionalAggregation: gate_nn output {tuple(gate.shape)} does not "
                             f"match the values {tuple(value.shape)}")
        weights = seg_softmax(gate, index, dim_size, dim)
        if dim == 0 and value.dim() == 2 and weights.size(-1) == 1:
            # one weight per message: a weighted CSR sum, without a weighted copy of the values
            rows = torch.arange(value.size(0), device=value.device)
            return gather_scatter(value, rows, index, dim_size, "sum", weights.squeeze(-1))
        return seg_sum(weights * value, index, dim_size, dim)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(gate_nn={self.gate_nn}, nn={self.nn})"
