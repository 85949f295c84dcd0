"""Per-graph statistics over the nodes of a batch (``batch`` maps each node to its graph)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.utils.scatter import scatter


def num_graphs(batch: Tensor | None, batch_size: int | None) -> int:
    """The number of graphs: ``batch_size`` if given (no device sync), else from ``batch``."""
    if batch is None:
        return 1
    if batch_size is not None:
        return int(batch_size)
    return int(batch.max()) + 1 if batch.numel() else 0


def graph_index(x: Tensor, batch: Tensor | None) -> Tensor:
    """``batch``, or all zeros (one graph) when it is None."""
    if batch is None:
        return torch.zeros(x.size(0), dtype=torch.long, device=x.device)
    return batch


def graph_mean(x: Tensor, batch: Tensor | None, size: int) -> Tensor:
    """Per-graph mean of the rows of ``x`` (``[size, ...]``)."""
    if batch is None:
        return x.mean(0, keepdim=True)
    return scatter(x, batch, dim=0, dim_size=size, reduce="mean")


def node_counts(x: Tensor, batch: Tensor | None, size: int) -> Tensor:
    """Number of nodes of each graph, in ``x``'s dtype."""
    if batch is None:
        return x.new_full((1,), x.size(0))
    return torch.zeros(size, dtype=x.dtype, device=x.device).index_add_(
        0, batch, x.new_ones(batch.numel()))
