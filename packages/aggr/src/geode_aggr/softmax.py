"""Softmax aggregation: a softmax-weighted sum with a (learnable) inverse temperature."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare
from ._softmax_op import softmax_aggregate


class SoftmaxAggregation(Aggregation):
    r"""The softmax aggregation :math:`\sum_i \mathrm{softmax}_i(t\,x_i)\odot x_i` per destination.

    Args:
        t: the inverse temperature.
        learn: make ``t`` a learnable parameter.
        semi_grad: compute the softmax weights without gradient (only when not ``learn``);
            saves memory.
        channels: number of independent temperatures (one per feature channel, needs
            ``learn=True``); the feature dimension must equal ``channels``.

    Zero for a destination with no messages. One fused op (see :mod:`geode_aggr._softmax_op`):
    first-order gradients only (no double backward).
    """

    def __init__(self, t: float = 1.0, learn: bool = False, semi_grad: bool = False,
                 channels: int = 1):
        super().__init__()
        if learn and semi_grad:
            raise ValueError("SoftmaxAggregation: semi_grad=True cannot be combined with learn=True")
        if channels != 1 and not learn:
            raise ValueError("SoftmaxAggregation: channels > 1 needs learn=True")
        if channels < 1:
            raise ValueError(f"SoftmaxAggregation: channels must be >= 1, got {channels}")
        self.init_t = float(t)
        self.learn = learn
        self.semi_grad = semi_grad
        self.channels = channels
        if learn:
            self.t = torch.nn.Parameter(torch.empty(channels))
        else:
            self.register_buffer("t", torch.tensor([float(t)]), persistent=False)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if isinstance(self.t, torch.nn.Parameter):
            with torch.no_grad():
                self.t.fill_(self.init_t)

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        if self.channels != 1 and x.size(-1) != self.channels:
            raise ValueError(f"SoftmaxAggregation: x has {x.size(-1)} channels in its last "
                             f"dimension, expected channels={self.channels}")
        t = self.t.to(x.dtype)
        moved = x.movedim(dim, 0)
        rest = moved.shape[1:]
        t = (t if self.channels != 1 else t[0]).expand(rest).reshape(-1)
        out, _, _ = softmax_aggregate(moved.reshape(moved.size(0), math.prod(rest)), t, index, dim_size,
                                      self.semi_grad)
        return out.reshape(dim_size, *rest).movedim(0, dim)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learn={self.learn})"

