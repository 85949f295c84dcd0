"""Trim a hop-ordered sampled subgraph to what a given layer still needs."""

from __future__ import annotations

from typing import Any

from torch import Tensor


def _trim_one(layer: int, nodes_per_hop, edges_per_hop, x: Tensor | None, edge_index: Tensor | None,
              edge_attr: Tensor | None):
    if x is not None:
        x = x.narrow(0, 0, x.size(0) - int(nodes_per_hop[-layer]))
    if edge_index is not None:
        num_edges = edge_index.size(1) - int(edges_per_hop[-layer])
        edge_index = edge_index.narrow(1, 0, num_edges)
        if edge_attr is not None:
            edge_attr = edge_attr.narrow(0, 0, num_edges)
    return x, edge_index, edge_attr


def trim_to_layer(layer: int, num_sampled_nodes_per_hop: Any, num_sampled_edges_per_hop: Any,
                  x: Any, edge_index: Any, edge_attr: Any = None):
    """Drop the nodes and edges of the outermost hop that layer ``layer`` no longer needs.

    A neighbour sampler orders nodes and edges by hop (seeds first); after ``layer``
    message-passing layers the last ``layer`` hops cannot influence the seeds any more.
    Called once per layer on the already trimmed tensors (as the models do), it removes
    ``num_sampled_nodes_per_hop[-layer]`` nodes and ``num_sampled_edges_per_hop[-layer]``
    edges from the end; ``layer <= 0`` returns the inputs unchanged. Dicts (keyed by node or
    edge type) are trimmed entry by entry. Returns ``(x, edge_index, edge_attr)``.
    """
    if layer <= 0:
        return x, edge_index, edge_attr
    if isinstance(x, dict) or isinstance(edge_index, dict):
        x = {k: _trim_one(layer, num_sampled_nodes_per_hop[k], None, v, None, None)[0]
             for k, v in (x or {}).items()}
        edges, attrs = {}, {}
        for k, ei in (edge_index or {}).items():
            attr = edge_attr.get(k) if isinstance(edge_attr, dict) else None
            _, edges[k], attrs[k] = _trim_one(layer, None, num_sampled_edges_per_hop[k], None, ei, attr)
        return x, edges, (attrs if isinstance(edge_attr, dict) else edge_attr)
    return _trim_one(layer, num_sampled_nodes_per_hop, num_sampled_edges_per_hop, x, edge_index,
                     edge_attr)


__all__ = ["trim_to_layer"]
