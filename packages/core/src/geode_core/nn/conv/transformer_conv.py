"""TransformerConv: the graph transformer layer of UniMP (Shi et al.)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.ops import edge_softmax

from ..message_passing import MessagePassing
from ._utils import linear, pair


class TransformerConv(MessagePassing):
    """``x_i' = W_1 x_i + sum_j alpha_ij (W_2 x_j + W_6 e_ij)``.

    ``alpha_ij = softmax_j((W_3 x_i)^T (W_4 x_j + W_6 e_ij) / sqrt(d))`` per head. With
    ``beta=True`` the skip is gated: ``beta_i = sigmoid(w_5^T [W_1 x_i, m_i, W_1 x_i - m_i])``,
    ``x_i' = beta_i W_1 x_i + (1 - beta_i) m_i``. Args follow PyG: ``in_channels``,
    ``out_channels``, ``heads``, ``concat``, ``beta``, ``dropout`` (on attention),
    ``edge_dim``, ``bias``, ``root_weight``.
    """

    def __init__(self, in_channels, out_channels: int, heads: int = 1, concat: bool = True,
                 beta: bool = False, dropout: float = 0.0, edge_dim: int | None = None,
                 bias: bool = True, root_weight: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(node_dim=0, **kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.heads, self.concat, self.beta = heads, concat, beta and root_weight
        self.dropout, self.edge_dim, self.root_weight = dropout, edge_dim, root_weight
        in_src, in_dst = pair(in_channels)
        self.lin_key = linear(in_src, heads * out_channels, bias=bias)
        self.lin_query = linear(in_dst, heads * out_channels, bias=bias)
        self.lin_value = linear(in_src, heads * out_channels, bias=bias)
        self.lin_edge = linear(edge_dim, heads * out_channels, bias=False) if edge_dim else None
        skip = heads * out_channels if concat else out_channels
        self.lin_skip = linear(in_dst, skip, bias=bias) if root_weight else None
        self.lin_beta = linear(3 * skip, 1, bias=False) if self.beta else None

    def reset_parameters(self) -> None:
        for lin in (self.lin_key, self.lin_query, self.lin_value, self.lin_edge, self.lin_skip,
                    self.lin_beta):
            if lin is not None and hasattr(lin, "reset_parameters"):
                lin.reset_parameters()

    def forward(self, x, edge_index, edge_attr: Tensor | None = None,
                return_attention_weights: bool | None = None):
        H, C = self.heads, self.out_channels
        x_src, x_dst = pair(x)
        if x_dst is None:
            raise ValueError("TransformerConv needs destination features (x_dst is None)")
        query = self.lin_query(x_dst).view(-1, H, C)
        key = self.lin_key(x_src).view(-1, H, C)
        value = self.lin_value(x_src).view(-1, H, C)
        adj = self.adjacency(edge_index, (x_src.size(0), x_dst.size(0)))
        src, dst = adj.edge_index[0], adj.edge_index[1]
        key_j = key.index_select(0, src)
        edge = None
        if self.lin_edge is not None:
            if edge_attr is None:
                raise ValueError("TransformerConv built with edge_dim needs edge_attr")
            edge = self.lin_edge(edge_attr).view(-1, H, C)
            key_j = key_j + edge
        alpha = (query.index_select(0, dst) * key_j).sum(-1) / math.sqrt(C)
        alpha = edge_softmax(alpha, adj)
        alpha = F.dropout(alpha, p=self.dropout, training=self.training)
        out = self.propagate(adj, value=value, alpha=alpha, edge=edge)
        out = out.reshape(-1, H * C) if self.concat else out.mean(dim=1)
        if self.lin_skip is not None:
            skip = self.lin_skip(x_dst)
            if self.lin_beta is not None:
                b = torch.sigmoid(self.lin_beta(torch.cat([skip, out, skip - out], dim=-1)))
                out = b * skip + (1 - b) * out
            else:
                out = out + skip
        if return_attention_weights:
            return out, (adj.edge_index, alpha)
        return out

    def message(self, value_j: Tensor, alpha: Tensor, edge: Tensor | None) -> Tensor:
        if edge is not None:
            value_j = value_j + edge
        return value_j * alpha.unsqueeze(-1)

    def __repr__(self) -> str:
        return f"TransformerConv({self.in_channels}, {self.out_channels}, heads={self.heads})"
