"""Splitting batched tensors back into one piece per graph."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index


def _counts(batch: Tensor, batch_size: int | None, fn: str) -> list[int]:
    if batch.dim() != 1 or batch.dtype != torch.long:
        raise ValueError(f"{fn}: batch must be a 1-D int64 tensor, got shape "
                         f"{list(batch.shape)} and dtype {batch.dtype}")
    if batch.numel() and bool((batch[1:] < batch[:-1]).any()):
        raise ValueError(f"{fn}: batch must be sorted in ascending order")
    size = batch_size if batch_size is not None else (int(batch.max()) + 1 if batch.numel() else 0)
    return torch.bincount(batch, minlength=size).tolist()


def unbatch(src: Tensor, batch: Tensor, dim: int = 0, batch_size: int | None = None) -> list[Tensor]:
    """Split ``src`` along ``dim`` into one tensor per graph of the sorted ``batch`` vector."""
    if src.size(dim) != batch.numel():
        raise ValueError(f"unbatch: batch has {batch.numel()} entries but src has "
                         f"{src.size(dim)} along dim {dim}")
    return list(torch.split(src, _counts(batch, batch_size, "unbatch"), dim=dim))


def unbatch_edge_index(edge_index: Tensor, batch: Tensor,
                       batch_size: int | None = None) -> list[Tensor]:
    """Split a batched ``edge_index`` into one per graph, renumbered from 0 in each graph.

    Edges must be grouped by graph in graph order (as :class:`~geode_core.data.Batch` makes
    them) and never join two graphs.
    """
    check_edge_index(edge_index)
    counts = _counts(batch, batch_size, "unbatch_edge_index")
    graph = batch[edge_index[0]] if edge_index.numel() else edge_index.new_empty(0)
    if edge_index.numel() and not torch.equal(graph, batch[edge_index[1]]):
        raise ValueError("unbatch_edge_index: an edge joins nodes of two different graphs")
    if graph.numel() and bool((graph[1:] < graph[:-1]).any()):
        raise ValueError("unbatch_edge_index: edges must be grouped by graph in graph order")
    offsets = torch.tensor([0, *counts], device=edge_index.device).cumsum(0)[:-1]
    edge_counts = torch.bincount(graph, minlength=len(counts)).tolist()
    local = edge_index - offsets[graph]
    return list(torch.split(local, edge_counts, dim=1))
