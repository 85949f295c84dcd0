"""Power-mean aggregation: a generalised mean with a (learnable) exponent ``p``."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import bview, prepare, seg_count, seg_sum


class PowerMeanAggregation(Aggregation):
    r"""The power mean :math:`\left(\frac{1}{n}\sum_i x_i^p\right)^{1/p}` per destination.

    Defined for non-negative messages: ``x`` is clamped to ``[eps, 100]`` (eps = 1e-7) so
    that fractional and negative powers stay finite. Zero for a destination with no
    messages.

    Args:
        p: the exponent (``p = 1`` is the mean).
        learn: make ``p`` a learnable parameter.
        channels: number of independent exponents (one per feature channel; needs
            ``learn=True``).
    """

    eps = 1e-7

    def __init__(self, p: float = 1.0, learn: bool = False, channels: int = 1):
        super().__init__()
        if channels != 1 and not learn:
            raise ValueError("PowerMeanAggregation: channels > 1 needs learn=True")
        if channels < 1:
            raise ValueError(f"PowerMeanAggregation: channels must be >= 1, got {channels}")
        self.init_p = float(p)
        self.learn = learn
        self.channels = channels
        if learn:
            self.p = torch.nn.Parameter(torch.empty(channels))
        else:
            self.register_buffer("p", torch.tensor([float(p)]), persistent=False)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if isinstance(self.p, torch.nn.Parameter):
            with torch.no_grad():
                self.p.fill_(self.init_p)

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        if self.channels != 1 and x.size(-1) != self.channels:
            raise ValueError(f"PowerMeanAggregation: x has {x.size(-1)} channels in its last "
                             f"dimension, expected channels={self.channels}")
        p = self.p.to(x.dtype)
        if self.channels == 1:
            p = p[0]
        powered = x.clamp(min=self.eps, max=100.0).pow(p)
        count = bview(seg_count(x, index, dim_size), x, dim)
        mean = seg_sum(powered, index, dim_size, dim) / count.clamp(min=1)
        out = mean.clamp(min=self.eps).pow(1.0 / p)
        return torch.where(count > 0, out, torch.zeros_like(out))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learn={self.learn})"
