"""HGTConv: the Heterogeneous Graph Transformer layer (Hu et al., 2020)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from geode_core.ops import Adjacency, edge_softmax

from .attention import aggregate_heads
from .linear import HeteroDictLinear


class HGTConv(torch.nn.Module):
    """Typed multi-head attention: keys, queries and values per node type, a key and a value
    transform and a prior ``mu`` per edge type, one softmax per destination node over all its
    incoming edges of every type:

    ``alpha_ij = softmax_j((q_i . k_j W^att_r) mu_r / sqrt(d))``,
    ``x_i' = beta_t A_t(gelu(sum_j alpha_ij v_j W^msg_r)) + (1 - beta_t) x_i`` (the skip only
    where input and output sizes agree; ``beta_t = sigmoid(skip_t)``).

    Args:
        in_channels: input size (int, ``-1`` for lazy, or ``{node_type: size}``).
        out_channels: output size (divisible by ``heads``).
        metadata: ``(node_types, edge_types)``.
        heads: number of attention heads.

    ``forward(x_dict, edge_index_dict)`` returns a dict with every node type that receives
    messages from at least one of the given edge types.
    """

    def __init__(self, in_channels: int | dict, out_channels: int, metadata: tuple[list, list],
                 heads: int = 1):
        super().__init__()
        if out_channels % heads:
            raise ValueError(f"HGTConv: out_channels ({out_channels}) must be divisible by heads ({heads})")
        node_types, edge_types = list(metadata[0]), [tuple(e) for e in metadata[1]]
        self.in_channels, self.out_channels, self.heads = in_channels, out_channels, heads
        self.node_types, self.edge_types = node_types, edge_types
        dim = out_channels // heads
        self.kqv_lin = HeteroDictLinear(in_channels, 3 * out_channels, types=node_types)
        self.out_lin = HeteroDictLinear(out_channels, out_channels, types=node_types)
        self.k_rel = torch.nn.Parameter(torch.empty(len(edge_types), heads, dim, dim))
        self.v_rel = torch.nn.Parameter(torch.empty(len(edge_types), heads, dim, dim))
        self.p_rel = torch.nn.Parameter(torch.empty(len(edge_types), heads))
        self.skip = torch.nn.Parameter(torch.empty(len(node_types)))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        self.kqv_lin.reset_parameters()
        self.out_lin.reset_parameters()
        bound = 1.0 / math.sqrt(self.out_channels // self.heads)
        torch.nn.init.uniform_(self.k_rel, -bound, bound)
        torch.nn.init.uniform_(self.v_rel, -bound, bound)
        torch.nn.init.ones_(self.p_rel)
        torch.nn.init.ones_(self.skip)

    def forward(self, x_dict: dict, edge_index_dict: dict) -> dict:
        heads, dim = self.heads, self.out_channels // self.heads
        kqv = self.kqv_lin(x_dict)
        keys, queries, values = {}, {}, {}
        for t, h in kqv.items():
            k, q, v = h.view(-1, 3, heads, dim).unbind(1)
            keys[t], queries[t], values[t] = k, q, v
        present = [(i, e) for i, e in enumerate(self.edge_types)
                   if e in edge_index_dict and e[0] in keys and e[2] in queries]
        dst_types = [t for t in self.node_types if any(e[2] == t for _, e in present)]
        if not dst_types:
            return {}
        dst_offset, total = {}, 0
        for t in dst_types:
            dst_offset[t] = total
            total += queries[t].size(0)
        # one graph over all relations: sources are rows of the stacked per-relation keys/values
        rel_keys, rel_values, prior, src_ids, dst_ids, num_src = [], [], [], [], [], 0
        for i, (s, _, d) in present:
            edge_index = edge_index_dict[(s, _, d)]
            rel_keys.append(torch.einsum("nhd,hde->nhe", keys[s], self.k_rel[i]))
            rel_values.append(torch.einsum("nhd,hde->nhe", values[s], self.v_rel[i]))
            prior.append(self.p_rel[i].expand(edge_index.size(1), heads))
            src_ids.append(edge_index[0] + num_src)
            dst_ids.append(edge_index[1] + dst_offset[d])
            num_src += keys[s].size(0)
        key, value = torch.cat(rel_keys), torch.cat(rel_values)
        query = torch.cat([queries[t] for t in dst_types])
        src, dst = torch.cat(src_ids), torch.cat(dst_ids)
        adj = Adjacency.from_edge_index(torch.stack([src, dst]), size=(num_src, total))
        score = (query.index_select(0, dst) * key.index_select(0, src)).sum(-1)
        alpha = edge_softmax(score * torch.cat(prior) / math.sqrt(dim), adj)
        aggregated = aggregate_heads(adj, alpha, value).reshape(total, self.out_channels)
        parts = dict(zip(dst_types, aggregated.split([queries[t].size(0) for t in dst_types])))
        out = self.out_lin({t: F.gelu(h) for t, h in parts.items()})
        for t in dst_types:
            x = x_dict[t]
            if x.size(-1) == self.out_channels:
                beta = self.skip[self.node_types.index(t)].sigmoid()
                out[t] = beta * out[t] + (1 - beta) * x
        return out

    def __repr__(self) -> str:
        return f"HGTConv({self.in_channels}, {self.out_channels}, heads={self.heads})"


__all__ = ["HGTConv"]
