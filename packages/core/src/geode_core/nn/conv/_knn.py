"""A pure-torch k-nearest-neighbour graph (used by DynamicEdgeConv)."""

from __future__ import annotations

import torch
from torch import Tensor


def knn_edges(x: Tensor, k: int, batch: Tensor | None = None) -> Tensor:
    """``[2, N * k']`` edges from each point's ``k`` nearest points (itself included) to it.

    Row 0 holds the neighbour (source), row 1 the point (destination). Distances are
    Euclidean; points of different graphs of ``batch`` are never neighbours. Every point
    gets ``k' = min(k, N)`` neighbours: where its graph has fewer than ``k'`` points the
    remaining slots point at itself (so shapes stay fixed). Dense ``N x N`` distances.
    """
    n = x.size(0)
    k = min(k, n)
    dist = torch.cdist(x, x)
    if batch is not None:
        other = batch.view(-1, 1) != batch.view(1, -1)
        dist = dist.masked_fill(other, float("inf"))
    value, nbr = dist.topk(k, dim=1, largest=False)
    self_idx = torch.arange(n, device=x.device).view(-1, 1).expand(n, k)
    nbr = torch.where(torch.isinf(value), self_idx, nbr)
    return torch.stack([nbr.reshape(-1), self_idx.reshape(-1)])
