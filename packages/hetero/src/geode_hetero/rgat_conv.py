"""RGATConv: relational graph attention (Busbridge et al., 2019)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.ops import Adjacency, edge_softmax, segment_mm

from .attention import aggregate_heads
from .relation_weights import add_relation_weights, dense_relation_weights

MECHANISMS = ("across-relation", "within-relation")
MODES = ("additive-self-attention", "multiplicative-self-attention")


def _typed_rows(x: Tensor, node: Tensor, edge_type: Tensor, weight: Tensor) -> tuple[Tensor, Tensor]:
    """``W_r x_n`` for every distinct (relation, node) pair of the edges, and each edge's pair.

    Pairs are sorted by relation, so one segment matmul applies every relation's weight.
    """
    num_nodes, num_relations = x.size(0), weight.size(0)
    pairs, pair_of_edge = torch.unique(edge_type * num_nodes + node, return_inverse=True)
    relation = pairs // num_nodes
    ptr = torch.searchsorted(relation, torch.arange(num_relations + 1, device=x.device, dtype=relation.dtype))
    return segment_mm(x.index_select(0, pairs % num_nodes), ptr, weight), pair_of_edge


class RGATConv(torch.nn.Module):
    """Attention over typed edges: ``g^r_n = W_r x_n`` per relation, queries ``g^r_i Q`` and keys
    ``g^r_j K``, logits ``leaky_relu(q + k)`` (additive) or ``q . k`` (multiplicative) summed over
    ``dim``, a softmax over each destination's edges of all relations (``"across-relation"``) or
    of each relation separately (``"within-relation"``), and ``x_i' = sum_j alpha_ij g^r_j``.

    Args:
        in_channels, out_channels: sizes (per head for the output).
        num_relations: number of edge types.
        num_bases, num_blocks: decomposition of the relation weights (as RGCNConv).
        attention_mechanism: ``"across-relation"`` or ``"within-relation"``.
        attention_mode: ``"additive-self-attention"`` or ``"multiplicative-self-attention"``.
        heads: attention heads; dim: size of each head's query and key.
        concat: concatenate heads (else average them).
        negative_slope: of the LeakyReLU (additive mode); dropout: on the attention weights.
        bias: add a learned bias.
    """

    def __init__(self, in_channels: int, out_channels: int, num_relations: int,
                 num_bases: int | None = None, num_blocks: int | None = None,
                 attention_mechanism: str = "across-relation",
                 attention_mode: str = "additive-self-attention", heads: int = 1, dim: int = 1,
                 concat: bool = True, negative_slope: float = 0.2, dropout: float = 0.0,
                 bias: bool = True):
        super().__init__()
        if attention_mechanism not in MECHANISMS:
            raise ValueError(f"RGATConv: attention_mechanism must be one of {MECHANISMS}, got {attention_mechanism!r}")
        if attention_mode not in MODES:
            raise ValueError(f"RGATConv: attention_mode must be one of {MODES}, got {attention_mode!r}")
        self.in_channels, self.out_channels, self.heads, self.dim = in_channels, out_channels, heads, dim
        self.attention_mechanism, self.attention_mode = attention_mechanism, attention_mode
        self.concat, self.negative_slope, self.dropout = concat, negative_slope, dropout
        add_relation_weights(self, in_channels, heads * out_channels, num_relations, num_bases, num_blocks)
        self.q = torch.nn.Parameter(torch.empty(heads * out_channels, heads * dim))
        self.k = torch.nn.Parameter(torch.empty(heads * out_channels, heads * dim))
        size = heads * out_channels if concat else out_channels
        self.bias = torch.nn.Parameter(torch.empty(size)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for param in (self.weight, self.comp, self.q, self.k):
            if param is not None:
                bound = math.sqrt(6.0 / (param.shape[-2] + param.shape[-1]))
                torch.nn.init.uniform_(param, -bound, bound)
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor) -> Tensor:
        num_nodes, num_edges = x.size(0), edge_index.size(1)
        if edge_type is None or edge_type.shape != (num_edges,):
            raise ValueError(f"RGATConv: edge_type must be [{num_edges}] (one relation per edge)")
        if not torch.compiler.is_compiling() and num_edges and (
                int(edge_type.min()) < 0 or int(edge_type.max()) >= self.num_relations):
            raise ValueError(f"RGATConv: edge_type must lie in [0, {self.num_relations})")
        H, C, D = self.heads, self.out_channels, self.dim
        src, dst = edge_index[0], edge_index[1]
        weight = dense_relation_weights(self)
        g_src, src_pair = _typed_rows(x, src, edge_type, weight)
        g_dst, dst_pair = _typed_rows(x, dst, edge_type, weight)
        key = (g_src @ self.k).index_select(0, src_pair).view(-1, H, D)
        query = (g_dst @ self.q).index_select(0, dst_pair).view(-1, H, D)
        if self.attention_mode == "additive-self-attention":
            logits = F.leaky_relu(query + key, self.negative_slope).sum(-1)
        else:
            logits = (query * key).sum(-1)
        groups = dst if self.attention_mechanism == "across-relation" else dst_pair
        num_groups = num_nodes if self.attention_mechanism == "across-relation" else g_dst.size(0)
        alpha = edge_softmax(logits, Adjacency.from_edge_index(torch.stack([src, groups]),
                                                               size=(num_nodes, num_groups)))
        alpha = F.dropout(alpha, p=self.dropout, training=self.training)
        # messages come from the (relation, source) rows: aggregate over that source space
        adj = Adjacency.from_edge_index(torch.stack([src_pair, dst]), size=(g_src.size(0), num_nodes))
        out = aggregate_heads(adj, alpha, g_src.view(-1, H, C))
        out = out.reshape(num_nodes, H * C) if self.concat else out.mean(1)
        return out if self.bias is None else out + self.bias

    def __repr__(self) -> str:
        return f"RGATConv({self.in_channels}, {self.out_channels}, heads={self.heads})"


__all__ = ["RGATConv"]
