"""SimpleConv: parameter-free aggregation of the neighbours, optionally with the node itself."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import Adjacency

from ._utils import append_self_loops, pair, raw_graph
from .linear_propagation import LinearPropagation

COMBINE_ROOT = (None, "sum", "cat", "self_loop")


class SimpleConv(LinearPropagation):
    """``x_i' = combine(x_i, aggr_{j in N(i)} e_ji x_j)``.

    Args follow PyG: ``aggr`` (default ``"sum"``; any registered aggregation), and
    ``combine_root``: ``None`` (neighbours only), ``"sum"`` (add ``x_i``), ``"cat"``
    (``[x_i, aggregate]``) or ``"self_loop"`` (append a weight-1 loop per node first).
    Fused (one CSR SpMM) for ``"sum"``/``"mean"``.
    """

    def __init__(self, aggr="sum", combine_root: str | None = None, **kwargs):
        if combine_root not in COMBINE_ROOT:
            raise ValueError(f"SimpleConv: combine_root must be one of {COMBINE_ROOT}, got {combine_root!r}")
        super().__init__(aggr=aggr, **kwargs)
        self.combine_root = combine_root
        self.appends_self_loops = combine_root == "self_loop"

    def reset_parameters(self) -> None:
        """SimpleConv has no parameters."""

    def forward(self, x, edge_index, edge_weight: Tensor | None = None, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        num_src = x_src.size(0)
        num_dst = x_dst.size(0) if x_dst is not None else num_src
        if size is not None:
            num_src, num_dst = int(size[0]), int(size[1])
        if self.combine_root == "self_loop":
            if num_src != num_dst:
                raise ValueError("SimpleConv: combine_root='self_loop' needs as many sources as "
                                 f"destinations, got {num_src} and {num_dst}")
            raw, own_weight, _ = raw_graph(edge_index, self.flow)
            weight = edge_weight if edge_weight is not None else own_weight
            if weight is not None:
                weight = torch.cat([weight, weight.new_ones(num_src)])
            looped, _ = append_self_loops(raw, num_src)
            adj = Adjacency.from_edge_index(looped, weight, num_src)
        else:
            adj = self.weighted_adjacency(edge_index, edge_weight, (num_src, num_dst))
        out = self.propagate(adj, x=(x_src, x_dst), edge_weight=adj.edge_weight)
        if self.combine_root == "sum" and x_dst is not None:
            out = out + x_dst
        elif self.combine_root == "cat" and x_dst is not None:
            out = torch.cat([x_dst, out], dim=-1)
        return out

    def __repr__(self) -> str:
        return f"SimpleConv(aggr={self.aggr!r}, combine_root={self.combine_root!r})"
