"""GATv2Conv: dynamic graph attention (Brody et al.)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from ._attention import HeadAttention
from ._utils import linear, pair


class GATv2Conv(HeadAttention):
    """``x_i' = sum_j alpha_ij W_s x_j``, ``alpha = softmax_j(a^T LeakyReLU(W_s x_j + W_t x_i + W_e e_ij))``.

    Args follow PyG: ``in_channels`` (int or ``(src, dst)``), ``out_channels``, ``heads``,
    ``concat``, ``negative_slope``, ``dropout`` (on the attention weights), ``add_self_loops``,
    ``edge_dim``, ``fill_value``, ``bias``, ``share_weights`` (``W_s = W_t``), ``residual``.
    Self-loops are handled as in :class:`GATConv`.
    """

    def __init__(self, in_channels, out_channels: int, heads: int = 1, concat: bool = True,
                 negative_slope: float = 0.2, dropout: float = 0.0, add_self_loops: bool = True,
                 edge_dim: int | None = None, fill_value="mean", bias: bool = True,
                 share_weights: bool = False, residual: bool = False, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(node_dim=0, **kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.heads, self.concat = heads, concat
        self.negative_slope, self.dropout = negative_slope, dropout
        self.add_self_loops, self.edge_dim, self.fill_value = add_self_loops, edge_dim, fill_value
        self.share_weights, self.residual = share_weights, residual
        in_src, in_dst = pair(in_channels)
        self.lin_l = linear(in_src, heads * out_channels, bias=bias)
        self.lin_r = self.lin_l if share_weights else linear(in_dst, heads * out_channels, bias=bias)
        self.att = torch.nn.Parameter(torch.empty(1, heads, out_channels))
        self.lin_edge = linear(edge_dim, heads * out_channels, bias=False) if edge_dim else None
        size = heads * out_channels if concat else out_channels
        self.res = linear(in_dst, size, bias=False) if residual else None
        self.bias = torch.nn.Parameter(torch.zeros(size)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for lin in (self.lin_l, self.lin_r, self.lin_edge, self.res):
            if lin is not None and hasattr(lin, "reset_parameters"):
                lin.reset_parameters()
        torch.nn.init.xavier_uniform_(self.att)
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x, edge_index, edge_attr: Tensor | None = None, size=None,
                return_attention_weights: bool | None = None):
        H, C = self.heads, self.out_channels
        x_in_src, x_in_dst = pair(x)
        x_l = self.lin_l(x_in_src).view(-1, H, C)
        if x_in_dst is None:
            raise ValueError("GATv2Conv needs destination features (x_dst is None)")
        x_r = x_l if (self.share_weights and x_in_dst is x_in_src) else \
            self.lin_r(x_in_dst).view(-1, H, C)
        num_src, num_dst = x_l.size(0), x_r.size(0)
        if size is not None:
            num_src, num_dst = int(size[0]), int(size[1])
        adj, edge_attr, loop_mask = self.attention_graph(
            edge_index, edge_attr, num_src, num_dst, self.add_self_loops, self.fill_value)
        src, dst = adj.edge_index[0], adj.edge_index[1]
        z = x_l.index_select(0, src) + x_r.index_select(0, dst)
        if edge_attr is not None and self.lin_edge is not None:
            z = z + self.lin_edge(edge_attr).view(-1, H, C)
        alpha = (F.leaky_relu(z, self.negative_slope) * self.att).sum(-1)
        return self.attend(adj, alpha, loop_mask, (x_l, x_r), x_in_dst, return_attention_weights)

    def __repr__(self) -> str:
        return f"GATv2Conv({self.in_channels}, {self.out_channels}, heads={self.heads})"
