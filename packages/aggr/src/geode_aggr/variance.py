"""Variance and standard deviation of the messages per destination."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._moments import segment_moments
from ._segment import bview, prepare, seg_count


def moments(x: Tensor, index: Tensor, dim_size: int, dim: int) -> tuple[Tensor, Tensor, Tensor]:
    """``(sum, sum of squares, count broadcastable along dim)``: the shared sums of sum/mean/var/std."""
    total, squares = segment_moments(x.movedim(dim, 0), index, dim_size)
    count = bview(seg_count(x, index, dim_size), x, dim)
    return total.movedim(0, dim), squares.movedim(0, dim), count


def var_from_moments(total: Tensor, squares: Tensor, count: Tensor) -> Tensor:
    n = count.clamp(min=1)
    mean = total / n
    return (squares / n - mean * mean).clamp(min=0.0)


def std_from_var(var: Tensor, eps: float) -> Tensor:
    return torch.where(var > eps, var.clamp(min=eps).sqrt(), torch.zeros_like(var))


class VarAggregation(Aggregation):
    r"""Population variance :math:`\mathrm{mean}(x^2) - \mathrm{mean}(x)^2` per destination.

    Clamped at zero against round-off; zero for a destination with no messages.
    Sum-like: compiles with ``fullgraph=True`` when ``dim_size`` is given.
    """

    def __init__(self, semi_grad: bool = False):
        super().__init__()
        self.semi_grad = semi_grad

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        total, squares, count = moments(x, index, dim_size, dim)
        if self.semi_grad:
            # The mean is treated as a constant in the backward pass.
            n = count.clamp(min=1)
            mean = (total / n).detach()
            return (squares / n - mean * mean).clamp(min=0.0)
        return var_from_moments(total, squares, count)


class StdAggregation(Aggregation):
    r"""Population standard deviation :math:`\sqrt{\mathrm{var}}` per destination.

    A variance at or below ``eps`` (1e-5) gives 0, so the gradient of the square root
    never becomes infinite; zero for a destination with no messages.
    """

    eps = 1e-5

    def __init__(self, semi_grad: bool = False):
        super().__init__()
        self.var = VarAggregation(semi_grad=semi_grad)

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        return std_from_var(self.var(x, index, ptr, dim_size, dim), self.eps)
