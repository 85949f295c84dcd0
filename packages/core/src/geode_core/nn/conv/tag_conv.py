"""TAGConv: topology-adaptive graph convolution (Du et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from ._utils import linear, reset_lins_and_bias
from .linear_propagation import LinearPropagation


class TAGConv(LinearPropagation):
    """``X' = sum_{k=0}^{K} (D^-1/2 A D^-1/2)^k X W_k + b`` (no self-loops added).

    Args follow PyG: ``in_channels``, ``out_channels``, ``K`` (hops), ``bias``, ``normalize``.
    """

    def __init__(self, in_channels: int, out_channels: int, K: int = 3, bias: bool = True,
                 normalize: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.K, self.normalize = K, normalize
        self.lins = torch.nn.ModuleList([linear(in_channels, out_channels, bias=False)
                                         for _ in range(K + 1)])
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias else None

    def reset_parameters(self) -> None:
        reset_lins_and_bias(self.lins, self.bias)

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        adj = self.gcn_adjacency(edge_index, edge_weight, x.size(0), x.dtype,
                                 add_self_loops=False, normalize=self.normalize)
        out = self.lins[0](x)
        for lin in self.lins[1:]:
            x = self.spread(x, adj)
            out = out + lin(x)
        if self.bias is not None:
            out = out + self.bias
        return out

    def __repr__(self) -> str:
        return f"TAGConv({self.in_channels}, {self.out_channels}, K={self.K})"
