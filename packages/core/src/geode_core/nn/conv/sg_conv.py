"""SGConv: the simple graph convolution (Wu et al.)."""

from __future__ import annotations

from torch import Tensor

from ._utils import linear
from .linear_propagation import LinearPropagation


class SGConv(LinearPropagation):
    """``X' = (D^-1/2 (A + I) D^-1/2)^K X W + b``.

    Args follow PyG: ``in_channels``, ``out_channels``, ``K`` (hops), ``cached`` (keep
    ``Â^K X`` of the first call; only for transductive use), ``add_self_loops``, ``bias``.
    """

    def __init__(self, in_channels: int, out_channels: int, K: int = 1, cached: bool = False,
                 add_self_loops: bool = True, bias: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.K, self.cached, self.add_self_loops = K, cached, add_self_loops
        self.lin = linear(in_channels, out_channels, bias=bias)
        self._cached_x: Tensor | None = None

    def reset_parameters(self) -> None:
        self.lin.reset_parameters()
        self._cached_x = None

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        if self._cached_x is None or not self.cached:
            adj = self.gcn_adjacency(edge_index, edge_weight, x.size(0), x.dtype,
                                     add_self_loops=self.add_self_loops)
            for _ in range(self.K):
                x = self.spread(x, adj)
            if self.cached:
                self._cached_x = x
        else:
            x = self._cached_x
        return self.lin(x)

    def __repr__(self) -> str:
        return f"SGConv({self.in_channels}, {self.out_channels}, K={self.K})"
