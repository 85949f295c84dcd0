"""ResGatedGraphConv: residual gated graph convolution (Bresson & Laurent)."""

from __future__ import annotations

import torch
from torch import Tensor

from ..message_passing import MessagePassing
from ._utils import linear, pair


class ResGatedGraphConv(MessagePassing):
    """``x_i' = W_1 x_i + sum_j eta_ij * W_2 x_j``, ``eta_ij = act(W_3 x_i + W_4 x_j + W_5 e_ij)``.

    Args follow PyG: ``in_channels``, ``out_channels``, ``act`` (default sigmoid),
    ``edge_dim`` (edge features enter the gate), ``root_weight``, ``bias``.
    """

    def __init__(self, in_channels, out_channels: int, act: torch.nn.Module | None = None,
                 edge_dim: int | None = None, root_weight: bool = True, bias: bool = True,
                 **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.act = torch.nn.Sigmoid() if act is None else act
        self.root_weight = root_weight
        in_src, in_dst = pair(in_channels)
        self.lin_key = linear(in_dst, out_channels)
        self.lin_query = linear(in_src, out_channels)
        self.lin_value = linear(in_src, out_channels)
        self.edge_dim = edge_dim
        self.lin_edge = linear(edge_dim, out_channels, bias=False) if edge_dim is not None else None
        self.lin_skip = linear(in_dst, out_channels, bias=False) if root_weight else None
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias else None

    def reset_parameters(self) -> None:
        for lin in (self.lin_key, self.lin_query, self.lin_value, self.lin_skip, self.lin_edge):
            if lin is not None:
                lin.reset_parameters()
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x, edge_index, edge_attr: Tensor | None = None, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        if x_dst is None:
            raise ValueError("ResGatedGraphConv needs destination features (x_dst is None)")
        if self.lin_edge is not None and edge_attr is None:
            raise ValueError("ResGatedGraphConv built with edge_dim needs edge_attr")
        k, q, v = self.lin_key(x_dst), self.lin_query(x_src), self.lin_value(x_src)
        edge = self.lin_edge(edge_attr) if self.lin_edge is not None else None
        out = self.propagate(edge_index, k=(None, k), q=(q, None), v=(v, None), edge=edge,
                             size=size)
        if self.lin_skip is not None:
            out = out + self.lin_skip(x_dst)
        if self.bias is not None:
            out = out + self.bias
        return out

    def message(self, k_i: Tensor, q_j: Tensor, v_j: Tensor, edge: Tensor | None) -> Tensor:
        gate = k_i + q_j if edge is None else k_i + q_j + edge
        return self.act(gate) * v_j
