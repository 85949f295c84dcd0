"""Pad one heterogeneous graph to per-type budgets, with per-type masks.

For every node type, padding nodes are appended after the real ones; for every edge type,
padding edges are appended that join padding nodes of its source and target types, so no
message reaches a real node. Seed nodes (first in their type) stay first.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import HeteroData
from geode_core.data.storage import is_index_key

from .options import FixedSizeOptions


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
            ei = store.edge_index
            i = torch.arange(budget - e, device=ei.device)
            fill = torch.stack([real_nodes[src] + i % (options.node_budget(src) - real_nodes[src]),
                                real_nodes[dst] + i % (options.node_budget(dst) - real_nodes[dst])])
            special["edge_index"] = torch.cat([ei, fill.to(ei.dtype)], 1)
        _pad_store(store, out[et], e, budget, options.edge_pad_value, special)
        if add_pad_masks:
            out[et].edges_mask = torch.arange(budget) < e
    return out
