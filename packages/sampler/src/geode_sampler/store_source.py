"""Sample from a ``(FeatureStore, GraphStore)`` pair instead of an in-memory graph.

The graph store gives the structure (its CSC, with the permutation back to the stored edge
order, which is what ``e_id`` then refers to); the feature store gives node counts, times,
weights and, when a batch is built, the rows of every tensor the batch touches. Group
names follow PyG: ``None`` for a homogeneous graph, node types and edge types otherwise.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import FeatureStore, GraphStore

from .csr import CompressedGraph

__all__ = ["is_store_pair", "store_num_nodes", "store_structure"]


NODE = "_"
EDGE = (NODE, "_", NODE)


def is_store_pair(data) -> bool:
    return (isinstance(data, (tuple, list)) and len(data) == 2
            and isinstance(data[0], FeatureStore) and isinstance(data[1], GraphStore))


def store_num_nodes(feature_store: FeatureStore, graph_store: GraphStore) -> dict:
    """Nodes per group (``None`` for homogeneous): edge-index sizes, then feature rows."""
    sizes: dict = {}
    for attr in graph_store.get_all_edge_attrs():
        if attr.size is None:
            continue
        et = attr.edge_type
        src, dst = (None, None) if et is None else (et[0], et[2])
        sizes[src] = max(sizes.get(src, 0), attr.size[0])
        sizes[dst] = max(sizes.get(dst, 0), attr.size[1])
    for attr in feature_store.get_all_tensor_attrs():
        group = attr.group_name
        if group is None or isinstance(group, str):
            rows = feature_store.get_tensor_size(attr)[0]
            sizes[group] = max(sizes.get(group, 0), rows)
    return sizes


def _edge_tensor(feature_store: FeatureStore, group, name: str | None, num_edges: int,
                 num_nodes: int) -> Tensor | None:
    """A per-edge tensor of ``group`` in stored edge order (None when absent). In a
    homogeneous store (group ``None``) nodes and edges share the group: a tensor counts as
    per-edge when it has ``num_edges`` rows and not ``num_nodes``."""
    if name is None or (group, name) not in {a.key for a in feature_store.get_all_tensor_attrs()}:
        return None
    rows = feature_store.get_tensor_size(group, name)[0]
    if group is None and (rows != num_edges or rows == num_nodes):
        return None
    return feature_store.get_tensor(group, name)


def store_structure(feature_store: FeatureStore, graph_store: GraphStore, weight_attr: str | None,
                    time_attr: str | None):
    """``(num_nodes, csc, weight, edge_time, node_time, is_hetero)`` keyed by the sampler's
    type names (homogeneous: ``"_"`` and ``("_", "_", "_")``); weights and edge times in
    stored edge order."""
    colptr, row, perm = graph_store.csc()
    is_hetero = any(et is not None for et in colptr)
    sizes = store_num_nodes(feature_store, graph_store)

    def node_key(group):
        return NODE if group is None else group

    def edge_key(et):
        return EDGE if et is None else tuple(et)

    num_nodes = {node_key(g): n for g, n in sizes.items()}
    csc, weight, edge_time = {}, {}, {}
    for et, ptr in colptr.items():
        p = perm[et]
        e_id = p if p is not None else torch.arange(row[et].numel())
        key = edge_key(et)
        csc[key] = CompressedGraph(ptr, row[et], e_id, ptr.numel() - 1, "dst")
        counts = (row[et].numel(), sizes.get(None, 0))
        w = _edge_tensor(feature_store, et, weight_attr, *counts)
        if w is not None:
            weight[key] = w
        t = _edge_tensor(feature_store, et, time_attr, *counts)
        if t is not None:
            edge_time[key] = t
    node_time = {}
    if time_attr is not None and not edge_time:
        keys = {a.key for a in feature_store.get_all_tensor_attrs()}
        for group in sizes:
            if (group, time_attr) in keys:
                node_time[node_key(group)] = feature_store.get_tensor(group, time_attr)
        if not node_time:
            raise ValueError(f"time_attr {time_attr!r} is in the feature store neither for a node "
                             f"group nor for an edge type")
    if weight_attr is not None and not weight:
        raise ValueError(f"weight_attr {weight_attr!r} is not a tensor of any edge type in the feature store")
    return num_nodes, csc, weight, edge_time, node_time, is_hetero
