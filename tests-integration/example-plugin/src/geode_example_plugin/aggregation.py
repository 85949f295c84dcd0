"""The example aggregation: the sum of squared messages per destination."""

from __future__ import annotations

from torch import Tensor

from geode_core.nn.aggr import Aggregation


class ExampleAggregation(Aggregation):
    """``out[i] = sum_j x_j ** 2`` over the messages ``j`` sent to ``i``."""

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        return self.reduce(x * x, index, ptr, dim_size, dim, reduce="sum")
