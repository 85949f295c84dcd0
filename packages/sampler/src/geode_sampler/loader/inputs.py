"""Normalise a loader's seed arguments: ``input_nodes`` and ``edge_label_index`` forms."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import HeteroData

from ..store_source import is_store_pair, store_num_nodes

__all__ = ["check_per_input", "resolve_edge_label_index", "resolve_input_nodes"]


def _ids(value: Tensor, num_nodes: int, where: str) -> Tensor:
    if not isinstance(value, Tensor):
        value = torch.as_tensor(value)
    if value.dtype == torch.bool:
        if value.numel() != num_nodes:
            raise ValueError(f"input_nodes mask {where} must have one entry per node ({num_nodes}), "
                             f"got {value.numel()}")
        return value.nonzero().view(-1)
    if value.is_floating_point() or value.dim() != 1:
        raise ValueError(f"input_nodes {where} must be a 1-D integer tensor of node ids or a bool mask, "
                         f"got {value.dtype} of shape {list(value.shape)}")
    value = value.long()
    if value.numel() and (int(value.min()) < 0 or int(value.max()) >= num_nodes):
        raise ValueError(f"input_nodes {where} must lie in [0, {num_nodes}), got range "
                         f"[{int(value.min())}, {int(value.max())}]")
    return value


def _sizes(data) -> tuple[bool, dict]:
    """``(is_hetero, nodes per type)``; homogeneous graphs use the key None."""
    if is_store_pair(data):
        sizes = store_num_nodes(*data)
        return any(g is not None for g in sizes), sizes
    if isinstance(data, HeteroData):
        return True, {nt: int(data[nt].num_nodes or 0) for nt in data.node_types}
    return False, {None: int(data.num_nodes or 0)}


def resolve_input_nodes(data, input_nodes) -> tuple[str | None, Tensor]:
    """``(input_type, node ids)`` from ids, a mask, a node type or ``(node_type, ids | mask | None)``."""
    is_hetero, sizes = _sizes(data)
    if is_hetero:
        if isinstance(input_nodes, str):
            input_nodes = (input_nodes, None)
        if not (isinstance(input_nodes, (tuple, list)) and len(input_nodes) == 2 and isinstance(input_nodes[0], str)):
            raise ValueError(f"input_nodes for HeteroData must be a node type or (node_type, ids | mask | None); "
                             f"got {type(input_nodes).__name__}")
        node_type, value = input_nodes
        if node_type not in sizes:
            raise ValueError(f"input_nodes names node type {node_type!r}; node types: {list(sizes)}")
        n = sizes[node_type]
        return node_type, torch.arange(n) if value is None else _ids(value, n, f"of {node_type!r}")
    if isinstance(input_nodes, (tuple, list)) and len(input_nodes) == 2 and input_nodes[0] is None:
        input_nodes = input_nodes[1]
    n = sizes[None]
    return None, torch.arange(n) if input_nodes is None else _ids(input_nodes, n, "")


def _is_edge_type(value) -> bool:
    return isinstance(value, tuple) and len(value) in (2, 3) and all(isinstance(v, str) for v in value)


def _store_edges(graph_store, et) -> Tensor:
    row, col, _ = graph_store.coo([et])
    return torch.stack([row[et], col[et]])


def resolve_edge_label_index(data, edge_label_index) -> tuple[tuple | None, Tensor]:
    """``(edge_type, [2, E] index)`` from an index, an edge type or ``(edge_type, index | None)``."""
    is_hetero, node_sizes = _sizes(data)
    if is_hetero:
        if _is_edge_type(edge_label_index):
            edge_label_index = (edge_label_index, None)
        if not (isinstance(edge_label_index, (tuple, list)) and len(edge_label_index) == 2
                and _is_edge_type(edge_label_index[0])):
            raise ValueError("edge_label_index for HeteroData must be an edge type or "
                             "(edge_type, [2, E] tensor | None)")
        if is_store_pair(data):
            et = tuple(edge_label_index[0])
            edge_types = [a.edge_type for a in data[1].get_all_edge_attrs()]
        else:
            et = data._edge_key(tuple(edge_label_index[0]))
            edge_types = data.edge_types
        if et not in edge_types:
            raise ValueError(f"edge_label_index names edge type {et}; edge types: {edge_types}")
        value = edge_label_index[1]
        sizes = (node_sizes[et[0]], node_sizes[et[2]])
        if value is not None:
            index = value
        else:
            index = _store_edges(data[1], et) if is_store_pair(data) else data[et].edge_index
    else:
        et = None
        if isinstance(edge_label_index, (tuple, list)) and len(edge_label_index) == 2 and edge_label_index[0] is None:
            edge_label_index = edge_label_index[1]
        if edge_label_index is not None:
            index = edge_label_index
        else:
            index = _store_edges(data[1], None) if is_store_pair(data) else data.edge_index
        sizes = (node_sizes[None],) * 2
    if not isinstance(index, Tensor) or index.dim() != 2 or index.size(0) != 2 or index.is_floating_point():
        raise ValueError(f"edge_label_index must be an integer tensor of shape [2, E], got "
                         f"{getattr(index, 'shape', type(index).__name__)}")
    for row, n in enumerate(sizes):
        if index.numel() and (int(index[row].min()) < 0 or int(index[row].max()) >= n):
            raise ValueError(f"edge_label_index row {row} must lie in [0, {n}), got range "
                             f"[{int(index[row].min())}, {int(index[row].max())}]")
    return et, index.long()


def check_per_input(name: str, value: Tensor | None, count: int) -> Tensor | None:
    """``value`` must have one entry per input (or be None)."""
    if value is not None and (not isinstance(value, Tensor) or value.size(0) != count):
        raise ValueError(f"{name} must have one entry per input ({count}), got "
                         f"{list(value.shape) if isinstance(value, Tensor) else type(value).__name__}")
    return value
