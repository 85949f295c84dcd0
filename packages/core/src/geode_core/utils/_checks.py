"""Shared argument checks for graph utilities."""

from __future__ import annotations

import torch
from torch import Tensor


def check_edge_index(edge_index: Tensor, name: str = "edge_index") -> None:
    if not isinstance(edge_index, Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(edge_index).__name__}")
    if edge_index.dim() != 2 or edge_index.size(0) != 2:
        raise ValueError(f"{name}: expected shape [2, num_edges], got {list(edge_index.shape)}")
    if edge_index.dtype != torch.long:
        raise ValueError(f"{name}: expected dtype torch.int64, got {edge_index.dtype}")


def infer_num_nodes(edge_index: Tensor, num_nodes: int | None) -> int:
    if num_nodes is not None:
        return int(num_nodes)
    return int(edge_index.max()) + 1 if edge_index.numel() > 0 else 0
