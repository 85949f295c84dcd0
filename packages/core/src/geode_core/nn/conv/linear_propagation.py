"""Shared base of the layers whose message is ``w_ji * x_j`` (fused CSR SpMM)."""

from __future__ import annotations

from torch import Tensor

from geode_core.ops import Adjacency, spmm

from ..message_passing import MessagePassing
from ._utils import derived_adjacency, raw_graph
from .gcn_conv import gcn_norm


class LinearPropagation(MessagePassing):
    """A layer that propagates ``x`` over weighted edges: ``out_i = aggr_j w_ji x_j``.

    ``fused = True``: the aggregation runs as one CSR SpMM with the adjacency's weights;
    the per-edge path (explanation, hooks, other aggregations) multiplies ``edge_weight``.
    Subclasses call :meth:`spread` with an Adjacency whose ``edge_weight`` holds the weights.
    """

    fused = True

    def spread(self, x: Tensor, adj: Adjacency) -> Tensor:
        """``out_i = aggr_j w_ji x_j`` over ``adj`` (weights from ``adj.edge_weight``)."""
        return self.propagate(adj, x=x, edge_weight=adj.edge_weight)

    def message(self, x_j: Tensor, edge_weight: Tensor | None = None) -> Tensor:
        return x_j if edge_weight is None else edge_weight.view(-1, *([1] * (x_j.dim() - 1))) * x_j

    def message_and_aggregate(self, adj: Adjacency, x) -> Tensor:
        x_src = x[0] if isinstance(x, (tuple, list)) else x
        return spmm(adj, x_src, reduce=self.fused_reduce)

    def weighted_adjacency(self, edge_index, edge_weight: Tensor | None, size) -> Adjacency:
        """The graph as an Adjacency carrying ``edge_weight`` (or the input's own weights)."""
        raw, own_weight, base = raw_graph(edge_index, self.flow)
        if base is not None and (edge_weight is None or edge_weight is own_weight):
            return base
        return Adjacency.cached(raw, edge_weight if edge_weight is not None else own_weight, size)

    def gcn_adjacency(self, edge_index, edge_weight: Tensor | None, num_nodes: int, dtype,
                      improved: bool = False, add_self_loops: bool = True,
                      normalize: bool = True) -> Adjacency:
        """``D^-1/2 (A + I) D^-1/2`` (or ``A`` itself without ``normalize``), kept on the graph."""
        def build(raw, weight):
            if not normalize:
                return raw, weight
            return gcn_norm(raw, weight, num_nodes, improved, add_self_loops, dtype)

        key = ("gcn", improved, add_self_loops, normalize, dtype)
        return derived_adjacency(edge_index, edge_weight, num_nodes, key, build, self.flow)

    def transductive_gcn_adjacency(self, edge_index, edge_weight: Tensor | None, x: Tensor) -> Adjacency:
        """:meth:`gcn_adjacency` from the layer's ``add_self_loops``/``normalize``; with
        ``cached=True`` the first call's result is kept (transductive use only)."""
        adj = getattr(self, "_cached_adj", None) if self.cached else None
        if adj is None:
            adj = self.gcn_adjacency(edge_index, edge_weight, x.size(0), x.dtype,
                                     add_self_loops=self.add_self_loops, normalize=self.normalize)
            if self.cached:
                self._cached_adj = adj
        return adj
