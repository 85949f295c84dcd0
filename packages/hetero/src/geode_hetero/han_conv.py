"""HANConv: the Heterogeneous Graph Attention Network layer (Wang et al., 2019)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from geode_core.ops import Adjacency, edge_softmax

from .attention import aggregate_heads
from .keys import type_key
from .linear import HeteroDictLinear


class HANConv(torch.nn.Module):
    """Node-level attention per edge type (metapath), then semantic attention across the edge
    types that reach one node type.

    Per edge type ``r``: ``h_i^r = relu(sum_j softmax_j(leaky_relu(a_src^r . h_j + a_dst^r . h_i)) h_j)``
    on projected features ``h = W_type x`` (per head). Per node type: ``x_i' = sum_r beta_r h_i^r``
    with ``beta = softmax_r(mean_i q . tanh(K h_i^r + b))``.

    Args:
        in_channels: input size (int, ``-1`` for lazy, or ``{node_type: size}``).
        out_channels: output size (divisible by ``heads``).
        metadata: ``(node_types, edge_types)``.
        heads: attention heads.
        negative_slope: of the LeakyReLU in node-level attention.
        dropout: on the node-level attention coefficients.

    ``forward(x_dict, edge_index_dict, return_semantic_attention_weights=False)`` returns a dict
    over node types, ``None`` for a type no given edge type reaches (and with the flag, also the
    semantic weights per node type).
    """

    def __init__(self, in_channels: int | dict, out_channels: int, metadata: tuple[list, list],
                 heads: int = 1, negative_slope: float = 0.2, dropout: float = 0.0):
        super().__init__()
        if out_channels % heads:
            raise ValueError(f"HANConv: out_channels ({out_channels}) must be divisible by heads ({heads})")
        self.node_types, self.edge_types = list(metadata[0]), [tuple(e) for e in metadata[1]]
        self.in_channels, self.out_channels, self.heads = in_channels, out_channels, heads
        self.negative_slope, self.dropout = negative_slope, dropout
        dim = out_channels // heads
        self.proj = HeteroDictLinear(in_channels, out_channels, types=self.node_types)
        self.att_src = torch.nn.ParameterDict({type_key(e): torch.nn.Parameter(torch.empty(1, heads, dim))
                                               for e in self.edge_types})
        self.att_dst = torch.nn.ParameterDict({type_key(e): torch.nn.Parameter(torch.empty(1, heads, dim))
                                               for e in self.edge_types})
        self.k_lin = torch.nn.Linear(out_channels, out_channels)
        self.q = torch.nn.Parameter(torch.empty(1, out_channels))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        self.proj.reset_parameters()
        for param in [*self.att_src.values(), *self.att_dst.values(), self.q]:
            torch.nn.init.xavier_uniform_(param.view(param.size(0), -1))
        self.k_lin.reset_parameters()

    def forward(self, x_dict: dict, edge_index_dict: dict, return_semantic_attention_weights: bool = False):
        heads, dim = self.heads, self.out_channels // self.heads
        h = {t: v.view(-1, heads, dim) for t, v in self.proj(x_dict).items()}
        per_type: dict = {t: [] for t in self.node_types}
        for edge_type in self.edge_types:
            src, _, dst = edge_type
            if edge_type not in edge_index_dict or src not in h or dst not in h:
                continue
            key = type_key(edge_type)
            adj = Adjacency.cached(edge_index_dict[edge_type], size=(h[src].size(0), h[dst].size(0)))
            a_src = (h[src] * self.att_src[key]).sum(-1)
            a_dst = (h[dst] * self.att_dst[key]).sum(-1)
            ei = adj.edge_index
            alpha = F.leaky_relu(a_src.index_select(0, ei[0]) + a_dst.index_select(0, ei[1]),
                                 self.negative_slope)
            alpha = F.dropout(edge_softmax(alpha, adj), p=self.dropout, training=self.training)
            out = aggregate_heads(adj, alpha, h[src]).reshape(-1, self.out_channels)
            per_type[dst].append(F.relu(out))
        out_dict, weights = {}, {}
        for t, outs in per_type.items():
            if not outs:
                out_dict[t] = None
                continue
            stacked = torch.stack(outs)  # [R, N, C]
            score = (self.q * torch.tanh(self.k_lin(stacked)).mean(1)).sum(-1)
            beta = torch.softmax(score, dim=0)
            out_dict[t] = (beta.view(-1, 1, 1) * stacked).sum(0)
            weights[t] = beta
        if return_semantic_attention_weights:
            return out_dict, weights
        return out_dict

    def __repr__(self) -> str:
        return f"HANConv({self.out_channels}, heads={self.heads})"


__all__ = ["HANConv"]
