"""Variance-preserving aggregation: the sum divided by the square root of the count."""

from __future__ import annotations

from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import bview, prepare, seg_count, seg_sum


class VariancePreservingAggregation(Aggregation):
    r"""The variance-preserving aggregation :math:`\frac{1}{\sqrt{n}}\sum_i x_i`.

    Keeps the variance of i.i.d. messages independent of the degree. Zero for a destination
    with no messages. Sum-like: compiles with ``fullgraph=True`` when ``dim_size`` is given.
    """

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        count = bview(seg_count(x, index, dim_size), x, dim)
        return seg_sum(x, index, dim_size, dim) / count.clamp(min=1).sqrt()
