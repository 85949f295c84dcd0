"""ResGatedGraphConv: residual gated graph convolution (Bresson & Laurent)."""

from __future__ import annotations

import torch
from torch import Tensor

from ..message_passing import MessagePassing
from ._utils import linear, pair


class ResGatedGraphConv(MessagePassing):
    """``x_i' = W_1 x_i + sum_j eta_ij * W_2 x_j``, ``eta_ij = act(W_3 x_i + W_4 x_j)``.

    Args follow PyG: ``in_channels``, ``out_channels``, ``act`` (default sigmoid),
    ``root_weight``, ``bias``.
    """

    def __init__(self, in_channels, out_channels: int, act: torch.nn.Module | None = None,
                 root_weight: bool = True, bias: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.act = torch.nn.Sigmoid() if act is None else act
        self.root_weight = root_weight
        in_src, in_dst = pair(in_channels)
        self.lin_key = linear(in_dst, out_channels)
        self.lin_query = linear(in_src, out_channels)
        self.lin_value = linear(in_src, out_channels)
        self.lin_skip = linear(in_dst, out_channels, bias=False) if root_weight else None
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias else None

    def reset_parameters(self) -> None:
        for lin in (self.lin_key, self.lin_query, self.lin_value, self.lin_skip):
            if lin is not None:
                lin.reset_parameters()
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x, edge_index, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        if x_dst is None:
            raise ValueError("ResGatedGraphConv needs destination features (x_dst is None)")
        k, q, v = self.lin_key(x_dst), self.lin_query(x_src), self.lin_value(x_src)
        out = self.propagate(edge_index, k=(None, k), q=(q, None), v=(v, None), size=size)
        if self.lin_skip is not None:
            out = out + self.lin_skip(x_dst)
        if self.bias is not None:
            out = out + self.bias
        return out

    def message(self, k_i: Tensor, q_j: Tensor, v_j: Tensor) -> Tensor:
        return self.act(k_i + q_j) * v_j
