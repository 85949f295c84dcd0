"""RGCNConv and FastRGCNConv: relational graph convolution (Schlichtkrull et al.).

``x_i' = W_root x_i + sum_r W_r aggr_{j in N_r(i)} x_j (+ b)``, with the per-relation
aggregation ``aggr`` (``"mean"`` normalises by ``|N_r(i)|``). RGCNConv aggregates features
before the relation's transform, FastRGCNConv after it (``aggr_j W_r x_j``); the two agree for
sum and mean and differ for max and min, as in PyG. Edges are grouped by
(relation, destination) pair once per graph (cached on the graph's adjacency), so each pair's
neighbours are aggregated by one CSR kernel and each relation's weight is applied by one
segment matmul: no per-edge feature rows, no loop over relations.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from geode_core.nn.conv._utils import pair
from geode_core.ops import Adjacency, scatter_sum, segment, segment_mm, spmm

from .relation_weights import add_relation_weights, dense_relation_weights

_REDUCTIONS = ("sum", "add", "mean", "max", "min")


class _RelationPairs:
    """Edges grouped by (relation, destination): the CSR ``adj`` has one row per pair."""

    def __init__(self, edge_index: Tensor, edge_type: Tensor, num_src: int, num_dst: int,
                 num_relations: int, stacked_sources: bool):
        src, dst = edge_index[0], edge_index[1]
        pairs, pair_of_edge = torch.unique(edge_type * num_dst + dst, return_inverse=True)
        self.dst = pairs % num_dst
        relation = pairs // num_dst
        self.relation_ptr = torch.searchsorted(
            relation, torch.arange(num_relations + 1, device=pairs.device, dtype=relation.dtype))
        # FastRGCNConv reads sources from the stacked [R * num_src] transformed features
        source = edge_type * num_src + src if stacked_sources else src
        num_sources = num_relations * num_src if stacked_sources else num_src
        self.adj = Adjacency.from_edge_index(torch.stack([source, pair_of_edge]),
                                             size=(num_sources, pairs.numel()))
        self.edge_relation = relation.index_select(0, self.adj.row)  # per sorted edge


class RGCNConv(torch.nn.Module):
    """Relational graph convolution: aggregate per relation first, then transform.

    Args:
        in_channels: input size (an int, a ``(src, dst)`` pair, or the number of nodes when
            ``x`` is ``None``, i.e. one learned row per node).
        out_channels: output size.
        num_relations: number of edge types.
        num_bases: share ``num_bases`` basis matrices among relations (basis decomposition).
        num_blocks: block-diagonal relation weights of ``num_blocks`` blocks.
        aggr: per-relation aggregation: ``"mean"`` (default), ``"sum"``, ``"max"`` or ``"min"``.
        root_weight: add ``W_root x_i``.
        is_sorted: accepted for compatibility (edges are grouped internally either way).
        bias: add a learned bias.
    """

    _stacked_sources = False

    def __init__(self, in_channels: int | tuple[int, int], out_channels: int, num_relations: int,
                 num_bases: int | None = None,
                 num_blocks: int | None = None, aggr: str = "mean", root_weight: bool = True,
                 is_sorted: bool = False, bias: bool = True):
        super().__init__()
        if aggr not in _REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: aggr must be one of {_REDUCTIONS}, got {aggr!r}")
        in_src, in_dst = pair(in_channels)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.aggr, self.is_sorted = aggr, is_sorted
        add_relation_weights(self, in_src, out_channels, num_relations, num_bases, num_blocks)
        self.root = torch.nn.Parameter(torch.empty(in_dst, out_channels)) if root_weight else None
        self.bias = torch.nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for param in (self.weight, self.comp, self.root):
            if param is not None:
                fan_in, fan_out = param.shape[-2], param.shape[-1]
                bound = math.sqrt(6.0 / (fan_in + fan_out))
                torch.nn.init.uniform_(param, -bound, bound)
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def relation_weights(self) -> Tensor:
        """The dense ``[num_relations, in, out]`` weight of every relation."""
        return dense_relation_weights(self)

    def _pairs(self, edge_index: Tensor, edge_type: Tensor, num_src: int, num_dst: int) -> _RelationPairs:
        if edge_type is None or edge_type.shape != (edge_index.size(1),):
            got = None if edge_type is None else tuple(edge_type.shape)
            raise ValueError(f"{type(self).__name__}: edge_type must be [{edge_index.size(1)}] "
                             f"(one relation per edge), got {got}")
        if not torch.compiler.is_compiling() and edge_type.numel() and (
                int(edge_type.min()) < 0 or int(edge_type.max()) >= self.num_relations):
            raise ValueError(f"{type(self).__name__}: edge_type must lie in [0, {self.num_relations})")
        base = Adjacency.cached(edge_index, size=(num_src, num_dst))
        key = (type(self)._stacked_sources, id(edge_type), edge_type._version, self.num_relations)
        return base.derived(key, lambda: _RelationPairs(base.edge_index, edge_type, num_src, num_dst,
                                                        self.num_relations, self._stacked_sources))

    def _reduce(self, adj: Adjacency, rows: Tensor) -> Tensor:
        """Aggregate ``rows`` (one per source of ``adj``) into each (relation, destination) pair."""
        if self.aggr in ("sum", "add", "mean"):
            return spmm(adj, rows, reduce=self.aggr)
        return segment(rows.index_select(0, adj.col), adj.rowptr, self.aggr)

    def _relational(self, x_src: Tensor | None, pairs: _RelationPairs, weight: Tensor) -> Tensor:
        if x_src is None:  # x is the identity: W_r x_j is row j of W_r
            rows = weight[pairs.edge_relation, pairs.adj.col]
            return segment(rows, pairs.adj.rowptr, "sum" if self.aggr == "add" else self.aggr)
        return segment_mm(self._reduce(pairs.adj, x_src), pairs.relation_ptr, weight)

    def forward(self, x, edge_index: Tensor, edge_type: Tensor | None = None) -> Tensor:
        x_src, x_dst = pair(x)
        in_src, in_dst = pair(self.in_channels)
        num_src = in_src if x_src is None else x_src.size(0)
        num_dst = (in_dst if x_dst is None else x_dst.size(0)) if isinstance(x, tuple) else num_src
        if x_src is None and self.num_blocks is not None:
            raise ValueError(f"{type(self).__name__}: block decomposition needs node features x")
        pairs = self._pairs(edge_index, edge_type, num_src, num_dst)
        out = scatter_sum(self._relational(x_src, pairs, self.relation_weights()), pairs.dst, num_dst)
        if self.root is not None:
            out = out + (self.root[:num_dst] if x_dst is None else x_dst @ self.root)
        if self.bias is not None:
            out = out + self.bias
        return out

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"num_relations={self.num_relations})")


class FastRGCNConv(RGCNConv):
    """:class:`RGCNConv` that transforms first: every source by every relation's weight
    (``[R * N_src, out]``), then one CSR aggregation over the stacked rows.

    Faster than aggregate-first when ``R * N_src * in`` is small against the number of
    (relation, destination) pairs, e.g. few relations or narrow outputs; same results.
    """

    _stacked_sources = True

    def _relational(self, x_src: Tensor | None, pairs: _RelationPairs, weight: Tensor) -> Tensor:
        if x_src is None:
            transformed = weight.reshape(-1, weight.size(-1))
        else:
            transformed = torch.matmul(x_src.unsqueeze(0), weight).reshape(-1, weight.size(-1))
        return self._reduce(pairs.adj, transformed)


__all__ = ["FastRGCNConv", "RGCNConv"]
