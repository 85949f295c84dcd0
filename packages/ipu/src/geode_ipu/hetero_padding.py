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
        for key, value in store.items():
            if key == "num_nodes":
                out[t][key] = budget
            elif isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == n \
                    and not is_index_key(key):
                out[t][key] = _pad_rows(value, budget, options.node_pad_value)
            else:
                out[t][key] = value
        if add_pad_masks:
            out[t].nodes_mask = torch.arange(budget) < n
    for et in data.edge_types:
        src, _, dst = et
        store, e, budget = data[et], data[et].num_edges, options.edge_budget(et)
        if e > budget:
            raise ValueError(f"pad_hetero_data: edge type {et} has {e} edges but num_edges[{et}]"
                             f"={budget}")
        for key, value in store.items():
            if key == "edge_index":
                i = torch.arange(budget - e, device=value.device)
                fill = torch.stack([real_nodes[src] + i % (options.node_budget(src) - real_nodes[src]),
                                    real_nodes[dst] + i % (options.node_budget(dst) - real_nodes[dst])])
                out[et][key] = torch.cat([value, fill.to(value.dtype)], 1)
            elif isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == e \
                    and not is_index_key(key):
                out[et][key] = _pad_rows(value, budget, options.edge_pad_value)
            else:
                out[et][key] = value
        if add_pad_masks:
            out[et].edges_mask = torch.arange(budget) < e
    return out
