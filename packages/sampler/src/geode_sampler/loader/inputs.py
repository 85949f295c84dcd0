"""Normalise a loader's seed arguments: ``input_nodes`` and ``edge_label_index`` forms."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import HeteroData

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


def resolve_input_nodes(data, input_nodes) -> tuple[str | None, Tensor]:
    """``(input_type, node ids)`` from ids, a mask, a node type or ``(node_type, ids | mask | None)``."""
    if isinstance(data, HeteroData):
        if isinstance(input_nodes, str):
            input_nodes = (input_nodes, None)
        if not (isinstance(input_nodes, (tuple, list)) and len(input_nodes) == 2 and isinstance(input_nodes[0], str)):
            raise ValueError(f"input_nodes for HeteroData must be a node type or (node_type, ids | mask | None); "
                             f"got {type(input_nodes).__name__}")
        node_type, value = input_nodes
        if node_type not in data.node_types:
            raise ValueError(f"input_nodes names node type {node_type!r}; node types: {data.node_types}")
        n = int(data[node_type].num_nodes or 0)
        return node_type, torch.arange(n) if value is None else _ids(value, n, f"of {node_type!r}")
    if isinstance(input_nodes, (tuple, list)) and len(input_nodes) == 2 and input_nodes[0] is None:
        input_nodes = input_nodes[1]
    n = int(data.num_nodes or 0)
    return None, torch.arange(n) if input_nodes is None else _ids(input_nodes, n, "")


def _is_edge_type(value) -> bool:
    return isinstance(value, tuple) and len(value) in (2, 3) and all(isinstance(v, str) for v in value)


def resolve_edge_label_index(data, edge_label_index) -> tuple[tuple | None, Tensor]:
    """``(edge_type, [2, E] index)`` from an index, an edge type or ``(edge_type, index | None)``."""
    if isinstance(data, HeteroData):
        if _is_edge_type(edge_label_index):
            edge_label_index = (edge_label_index, None)
        if not (isinstance(edge_label_index, (tuple, list)) and len(edge_label_index) == 2
                and _is_edge_type(edge_label_index[0])):
            raise ValueError("edge_label_index for HeteroData must be an edge type or "
                             "(edge_type, [2, E] tensor | None)")
        et = data._edge_key(tuple(edge_label_index[0]))
        if et not in data.edge_types:
            raise ValueError(f"edge_label_index names edge type {et}; edge types: {data.edge_types}")
        value = edge_label_index[1]
        sizes = (int(data[et[0]].num_nodes or 0), int(data[et[2]].num_nodes or 0))
        index = data[et].edge_index if value is None else value
    else:
        et = None
        if isinstance(edge_label_index, (tuple, list)) and len(edge_label_index) == 2 and edge_label_index[0] is None:
            edge_label_index = edge_label_index[1]
        index = data.edge_index if edge_label_index is None else edge_label_index
        sizes = (int(data.num_nodes or 0),) * 2
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
