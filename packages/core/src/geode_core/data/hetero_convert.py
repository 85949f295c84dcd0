"""Data -> HeteroData: split one typed graph into per-type stores."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from .data import Data
from .hetero_data import EdgeType, HeteroData


def _types(data: Data, given: Tensor | None, key: str, count: int, device) -> Tensor:
    value = given if given is not None else data.get(key)
    if value is None:
        return torch.zeros(count, dtype=torch.long, device=device)
    value = value.view(-1).long()
    if value.numel() != count:
        raise ValueError(f"to_heterogeneous: {key} must have one entry per "
                         f"{'node' if key == 'node_type' else 'edge'} ({count}), got "
                         f"{value.numel()}")
    return value


def to_heterogeneous(data: Data, node_type: Tensor | None = None, edge_type: Tensor | None = None,
                     node_type_names: Sequence[str] | None = None,
                     edge_type_names: Sequence[EdgeType] | None = None) -> HeteroData:
    """See :meth:`Data.to_heterogeneous`."""
    n = int(data.num_nodes or 0)
    ei = data.get("edge_index")
    if ei is None:
        ei = torch.empty(2, 0, dtype=torch.long)
    nt = _types(data, node_type, "node_type", n, ei.device)
    et = _types(data, edge_type, "edge_type", ei.size(1), ei.device)
    num_nt = max(int(nt.max()) + 1 if n else 1, len(node_type_names or ()))
    names = list(node_type_names) if node_type_names is not None else [str(i) for i in range(num_nt)]
    if len(names) < num_nt:
        raise ValueError(f"to_heterogeneous: node_type_names has {len(names)} names but "
                         f"node_type goes up to {num_nt - 1}")
    num_et = int(et.max()) + 1 if et.numel() else len(edge_type_names or ())
    if edge_type_names is None:
        edge_type_names = []
        for t in range(num_et):
            mask = et == t
            ends = [torch.unique(nt[ei[row, mask]]).tolist() for row in (0, 1)]
            if len(ends[0]) != 1 or len(ends[1]) != 1:
                raise ValueError(f"to_heterogeneous: edges of type {t} join node types "
                                 f"{ends[0]} -> {ends[1]}; pass edge_type_names to name them")
            edge_type_names.append((names[ends[0][0]], str(t), names[ends[1][0]]))
    edge_type_names = [tuple(e) for e in edge_type_names]
    if len(edge_type_names) < num_et:
        raise ValueError(f"to_heterogeneous: edge_type_names has {len(edge_type_names)} entries "
                         f"but edge_type goes up to {num_et - 1}")
    local = torch.zeros(n, dtype=torch.long, device=ei.device)
    out = HeteroData()
    node_keys = [k for k, _ in data if k not in ("node_type", "num_nodes") and data.is_node_attr(k)]
    edge_keys = [k for k, _ in data if k not in ("edge_index", "edge_type") and data.is_edge_attr(k)]
    for t, name in enumerate(names):
        mask = nt == t
        local[mask] = torch.arange(int(mask.sum()), device=ei.device)
        store = out[name]
        store.num_nodes = int(mask.sum())
        for key in node_keys:
            store[key] = data[key][mask]
    for t, name in enumerate(edge_type_names):
        mask = et == t
        store = out[name]
        store.edge_index = local[ei[:, mask]]
        for key in edge_keys:
            store[key] = data[key][mask]
    for key, value in data:
        if key not in node_keys and key not in edge_keys and \
                key not in ("edge_index", "node_type", "edge_type", "num_nodes"):
            out[key] = value
    return out
