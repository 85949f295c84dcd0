"""Pad one graph (Data or HeteroData) to fixed node and edge counts, with masks.

Padding nodes are appended after the real ones (per node type); padding edges are appended
and join padding nodes only (of the edge type's source and target types), so no message
reaches a real node. Seed nodes (first, by the sampler convention) stay first, and every
other attribute (``batch_size``, ``n_id``'s meaning, per-hop counts) is kept.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import Data, HeteroData
from geode_core.data.storage import is_index_key

from .options import FixedSizeOptions
from .padding import sizes_need_num_nodes


def _pad_rows(value: Tensor, total: int, fill) -> Tensor:
    pad = value.new_full((total - value.size(0), *value.shape[1:]), fill)
    return torch.cat([value, pad], 0)


def _pad_store(store, out_store, count: int, budget: int, fill, special: dict) -> None:
    """Copy ``store`` into ``out_store``, rows of per-item tensors padded to ``budget``."""
    for key, value in store.items():
        if key in special:
            out_store[key] = special[key]
        elif isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == count \
                and not is_index_key(key):
            out_store[key] = _pad_rows(value, budget, fill)
        else:
            out_store[key] = value


def _padding_edges(edge_index: Tensor, count: int, src: tuple[int, int], dst: tuple[int, int]):
    """``edge_index`` with ``count`` edges appended between padding nodes.

    ``src``/``dst`` are ``(real, budget)`` node counts of the source and target node sets.
    """
    i = torch.arange(count, device=edge_index.device)
    fill = torch.stack([src[0] + i % (src[1] - src[0]), dst[0] + i % (dst[1] - dst[0])])
    return torch.cat([edge_index, fill.to(edge_index.dtype)], 1)


def pad_data(data: Data, options: FixedSizeOptions, add_pad_masks: bool = True) -> Data:
    """``data`` with exactly ``options.num_nodes`` nodes and ``options.num_edges`` edges.

    At least one padding node is kept. Node- and edge-level tensors are padded with the
    node and edge pad values; everything else is kept as is. With ``add_pad_masks`` the
    result has ``nodes_mask`` and ``edges_mask`` (True = real).
    """
    if not isinstance(data, Data):
        raise TypeError(f"pad_data: expected a Data, got {type(data).__name__}")
    if options.heterogeneous:
        raise ValueError("pad_data: these options hold per-type budgets; use pad_hetero_data")
    n, e = int(data.num_nodes or 0), data.num_edges
    nodes, edges = options.node_budget(), options.edge_budget()
    if n > nodes - 1 or e > edges:
        raise ValueError(f"pad_data: {n} nodes and {e} edges do not fit num_nodes={nodes} "
                         f"(one padding node kept) and num_edges={edges}")
    node_keys = [k for k, _ in data if data.is_node_attr(k)]
    edge_keys = [k for k, _ in data if data.is_edge_attr(k)]
    out = type(data)()
    special = {"num_nodes": nodes}
    if "edge_index" in data:
        special["edge_index"] = _padding_edges(data.edge_index, edges - e, (n, nodes), (n, nodes))
    for key, value in data:
        if key in special:
            out[key] = special[key]
        elif key in node_keys:
            out[key] = _pad_rows(value, nodes, options.node_pad_value)
        elif key in edge_keys:
            out[key] = _pad_rows(value, edges, options.edge_pad_value)
        else:
            out[key] = value
    if sizes_need_num_nodes(data):
        out.num_nodes = nodes
    if add_pad_masks:
        device = data.edge_index.device if "edge_index" in data else None
        out.nodes_mask = torch.arange(nodes, device=device) < n
        out.edges_mask = torch.arange(edges, device=device) < e
    return out


def pad_hetero_data(data: HeteroData, options: FixedSizeOptions,
                    add_pad_masks: bool = True) -> HeteroData:
    """``data`` with exactly ``options.node_budget(t)`` nodes of every node type ``t`` and
    ``options.edge_budget(e)`` edges of every edge type ``e``.

    Each node type keeps at least one padding node (its budget must exceed its real node
    count); a type over its budget raises naming the type. With ``add_pad_masks`` each
    node store gets ``nodes_mask`` and each edge store ``edges_mask`` (True = real).
    """
    if not isinstance(data, HeteroData):
        raise TypeError(f"pad_hetero_data: expected a HeteroData, got {type(data).__name__}")
    if not options.heterogeneous:
        raise ValueError("pad_hetero_data: options need per-type budgets "
                         "(FixedSizeOptions(num_nodes={node_type: int, ...}))")
    out = HeteroData()
    for key, value in data._global.items():
        out[key] = value
    real_nodes = {}
    for t in data.node_types:
        store, n, budget = data[t], int(data[t].num_nodes or 0), options.node_budget(t)
        if n > budget - 1:
            raise ValueError(f"pad_hetero_data: node type {t!r} has {n} nodes but num_nodes[{t!r}]"
                             f"={budget} holds {budget - 1} real nodes beside the padding")
        real_nodes[t] = n
        _pad_store(store, out[t], n, budget, options.node_pad_value, {"num_nodes": budget})
        if add_pad_masks:
            out[t].nodes_mask = torch.arange(budget) < n
    for et in data.edge_types:
        src, _, dst = et
        store, e, budget = data[et], data[et].num_edges, options.edge_budget(et)
        if e > budget:
            raise ValueError(f"pad_hetero_data: edge type {et} has {e} edges but num_edges[{et}]"
                             f"={budget}")
        special = {}
        if "edge_index" in store:
            special["edge_index"] = _padding_edges(
                store.edge_index, budget - e, (real_nodes[src], options.node_budget(src)),
                (real_nodes[dst], options.node_budget(dst)))
        _pad_store(store, out[et], e, budget, options.edge_pad_value, special)
        if add_pad_masks:
            out[et].edges_mask = torch.arange(budget) < e
    return out
