"""The basic reductions geode-core keeps: sum, mean, min, max and product."""

from __future__ import annotations

from torch import Tensor

from .base import Aggregation


class _Basic(Aggregation):
    reduction = "sum"

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        return self.reduce(x, index, ptr, dim_size, dim, reduce=self.reduction)


class SumAggregation(_Basic):
    """Sum of the messages; zero for a destination without messages."""

    reduction = "sum"


class MeanAggregation(_Basic):
    """Mean of the messages; zero for a destination without messages."""

    reduction = "mean"


class MinAggregation(_Basic):
    """Element-wise minimum; zero for a destination without messages."""

    reduction = "min"


class MaxAggregation(_Basic):
    """Element-wise maximum; zero for a destination without messages."""

    reduction = "max"


class MulAggregation(_Basic):
    """Element-wise product; zero for a destination without messages."""

    reduction = "mul"
