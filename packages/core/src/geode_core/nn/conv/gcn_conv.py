"""GCNConv: the graph convolution of Kipf & Welling (symmetric normalisation)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import Adjacency, spmm
from geode_core.utils.scatter import scatter

from ..graph_input import as_graph
from ..message_passing import MessagePassing
from ._utils import append_self_loops, linear


def gcn_norm(edge_index: Tensor, edge_weight: Tensor | None = None, num_nodes: int | None = None,
             improved: bool = False, add_self_loops: bool = True, dtype=None):
    """``D^-1/2 (A + fill I) D^-1/2`` as ``(edge_index, edge_weight)`` (destinations in row 1).

    Self-loops are added for every node with fixed shapes: an existing loop keeps its weight
    (moved onto the appended loop, its own entry set to 0); others get ``2`` when
    ``improved`` else ``1``. No ``nonzero`` and no host sync, so it compiles fullgraph.
    """
    if num_nodes is None:
        num_nodes = int(edge_index.max()) + 1 if edge_index.numel() else 0
    dtype = dtype or (edge_weight.dtype if edge_weight is not None else torch.get_default_dtype())
    weight = edge_weight if edge_weight is not None else torch.ones(
        edge_index.size(1), dtype=dtype, device=edge_index.device)
    if add_self_loops:
        fill = 2.0 if improved else 1.0
        is_loop = edge_index[0] == edge_index[1]
        slot = torch.where(is_loop, edge_index[0], torch.full_like(edge_index[0], num_nodes))
        loop_weight = torch.full((num_nodes + 1,), fill, dtype=weight.dtype, device=weight.device)
        loop_weight = loop_weight.scatter(0, slot, torch.where(is_loop, weight, fill))[:num_nodes]
        weight = torch.cat([torch.where(is_loop, torch.zeros_like(weight), weight), loop_weight])
        edge_index, _ = append_self_loops(edge_index, num_nodes)
    src, dst = edge_index[0], edge_index[1]
    deg = scatter(weight, dst, dim=0, dim_size=num_nodes, reduce="sum")
    inv_sqrt = deg.pow(-0.5)
    inv_sqrt = inv_sqrt.masked_fill(torch.isinf(inv_sqrt), 0.0)
    return edge_index, inv_sqrt.index_select(0, src) * weight * inv_sqrt.index_select(0, dst)


class GCNConv(MessagePassing):
    """``X' = D^-1/2 (A + I) D^-1/2 X W + b``.

    Args follow PyG: ``in_channels`` (-1 for lazy), ``out_channels``, ``improved``
    (self-loop weight 2), ``cached`` (keep the normalised graph of the first call; only for
    transductive use), ``add_self_loops`` (default True when normalising), ``normalize``,
    ``bias``. ``edge_index`` may be a tensor or an :class:`~geode_core.ops.Adjacency`.
    """

    fused = True

    def __init__(self, in_channels: int, out_channels: int, improved: bool = False,
                 cached: bool = False, add_self_loops: bool | None = None, normalize: bool = True,
                 bias: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        if add_self_loops is None:
            add_self_loops = normalize
        if add_self_loops and not normalize:
            raise ValueError("GCNConv: add_self_loops=True requires normalize=True")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.improved, self.cached = improved, cached
        self.add_self_loops, self.normalize = add_self_loops, normalize
        self.lin = linear(in_channels, out_channels, bias=False)
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias else None
        self._cached_adj: Adjacency | None = None

    def reset_parameters(self) -> None:
        if hasattr(self.lin, "reset_parameters"):
            self.lin.reset_parameters()
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)
        self._cached_adj = None

    def _normalised(self, edge_index, edge_weight, num_nodes: int, dtype) -> Adjacency:
        if self.cached and self._cached_adj is not None:
            return self._cached_adj
        if isinstance(edge_index, Adjacency):
            base = edge_index
            if edge_weight is None:
                edge_weight = base.edge_weight
            raw = base.edge_index
            num_nodes = base.size[1]
        else:
            raw = edge_index.flip(0) if self.flow == "target_to_source" else edge_index
            base = None
        if raw is None:
            raise ValueError("GCNConv needs an Adjacency built with from_edge_index")

        def build() -> Adjacency:
            if not self.normalize:
                return Adjacency.from_edge_index(raw, edge_weight, num_nodes)
            ei, w = gcn_norm(raw, edge_weight, num_nodes, self.improved, self.add_self_loops, dtype)
            return Adjacency.from_edge_index(ei, w, num_nodes)

        cacheable = edge_weight is None or not edge_weight.requires_grad
        if cacheable and base is None and edge_weight is None and not torch.compiler.is_compiling():
            base = Adjacency.cached(raw, None, num_nodes)
        if cacheable and base is not None and (edge_weight is None or edge_weight is base.edge_weight):
            key = ("gcn", self.improved, self.add_self_loops, self.normalize, dtype)
            adj = base.derived(key, build)
        else:
            adj = build()
        if self.cached:
            self._cached_adj = adj
        return adj

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        x = self.lin(x)
        edge_index = as_graph(edge_index, self.flow)
        adj = self._normalised(edge_index, edge_weight, x.size(-2), x.dtype)
        out = self.propagate(adj, x=x, edge_weight=adj.edge_weight)
        if self.bias is not None:  # in place on the fused SpMM's fresh, unsaved output
            out = out.add_(self.bias) if self._use_fused() else out + self.bias
        return out

    def message(self, x_j: Tensor, edge_weight: Tensor | None) -> Tensor:
        return x_j if edge_weight is None else edge_weight.view(-1, 1) * x_j

    def message_and_aggregate(self, adj: Adjacency, x: Tensor) -> Tensor:
        return spmm(adj, x, reduce=self.fused_reduce)
