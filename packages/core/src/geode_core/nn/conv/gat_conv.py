"""GATConv: graph attention (Veličković et al.)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from ._attention import HeadAttention
from ._utils import linear, pair


class GATConv(HeadAttention):
    """``x_i' = sum_j alpha_ij W x_j`` with ``alpha = softmax_j(LeakyReLU(a^T [W x_i || W x_j || W_e e_ij]))``.

    Args follow PyG: ``in_channels`` (int or ``(src, dst)``), ``out_channels``, ``heads``,
    ``concat``, ``negative_slope``, ``dropout`` (on the attention weights), ``add_self_loops``,
    ``edge_dim``, ``fill_value`` (edge feature of added loops: ``"mean"`` of the incoming
    edges' features, another reduction name, or a number), ``bias``, ``residual`` (add a
    linear projection of the destination features). Self-loops are added with fixed shapes:
    every node gets one appended loop and loops already in the graph get zero attention
    (they are kept in the returned attention weights with weight 0).
    """

    def __init__(self, in_channels, out_channels: int, heads: int = 1, concat: bool = True,
                 negative_slope: float = 0.2, dropout: float = 0.0, add_self_loops: bool = True,
                 edge_dim: int | None = None, fill_value="mean", bias: bool = True,
                 residual: bool = False, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(node_dim=0, **kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.heads, self.concat = heads, concat
        self.negative_slope, self.dropout = negative_slope, dropout
        self.add_self_loops, self.edge_dim, self.fill_value = add_self_loops, edge_dim, fill_value
        self.residual = residual
        in_src, in_dst = pair(in_channels)
        if isinstance(in_channels, (tuple, list)):
            self.lin = None
            self.lin_src = linear(in_src, heads * out_channels, bias=False)
            self.lin_dst = linear(in_dst, heads * out_channels, bias=False)
        else:
            self.lin = linear(in_channels, heads * out_channels, bias=False)
            self.lin_src = self.lin_dst = None
        self.att_src = torch.nn.Parameter(torch.empty(1, heads, out_channels))
        self.att_dst = torch.nn.Parameter(torch.empty(1, heads, out_channels))
        if edge_dim is not None:
            self.lin_edge = linear(edge_dim, heads * out_channels, bias=False)
            self.att_edge = torch.nn.Parameter(torch.empty(1, heads, out_channels))
        else:
            self.lin_edge = None
            self.register_parameter("att_edge", None)
        size = heads * out_channels if concat else out_channels
        self.res = linear(in_dst, size, bias=False) if residual else None
        self.bias = torch.nn.Parameter(torch.zeros(size)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for lin in (self.lin, self.lin_src, self.lin_dst, self.lin_edge, self.res):
            if lin is not None and hasattr(lin, "reset_parameters"):
                lin.reset_parameters()
        for att in (self.att_src, self.att_dst, self.att_edge):
            if att is not None:
                torch.nn.init.xavier_uniform_(att)
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x, edge_index, edge_attr: Tensor | None = None, size=None,
                return_attention_weights: bool | None = None):
        H, C = self.heads, self.out_channels
        if isinstance(x, (tuple, list)):
            lin_src = self.lin_src if self.lin is None else self.lin
            lin_dst = self.lin_dst if self.lin is None else self.lin
            x_src = lin_src(x[0]).view(-1, H, C)
            x_dst = lin_dst(x[1]).view(-1, H, C) if x[1] is not None else None
            root = x[1]
        else:
            if self.lin is None:
                raise ValueError("GATConv built with (src, dst) channels needs x as a (x_src, x_dst) pair")
            x_src = x_dst = self.lin(x).view(-1, H, C)
            root = x
        num_src = x_src.size(0)
        num_dst = x_dst.size(0) if x_dst is not None else num_src
        if size is not None:
            num_src, num_dst = int(size[0]), int(size[1])
        adj, edge_attr, loop_mask = self.attention_graph(
            edge_index, edge_attr, num_src, num_dst, self.add_self_loops, self.fill_value)
        num_src, num_dst = adj.size

        src, dst = adj.edge_index[0], adj.edge_index[1]
        alpha = (x_src * self.att_src).sum(-1).index_select(0, src)
        if x_dst is not None:
            alpha = alpha + (x_dst * self.att_dst).sum(-1).index_select(0, dst)
        if edge_attr is not None and self.lin_edge is not None:
            e = self.lin_edge(edge_attr).view(-1, H, C)
            alpha = alpha + (e * self.att_edge).sum(-1)
        alpha = F.leaky_relu(alpha, self.negative_slope)
        return self.attend(adj, alpha, loop_mask, (x_src, x_dst), root, return_attention_weights)

    def __repr__(self) -> str:
        return f"GATConv({self.in_channels}, {self.out_channels}, heads={self.heads})"
