"""Top-k node selection per graph and the induced subgraph (shared by TopK and SAG pooling)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.utils.scatter import scatter


def topk(score: Tensor, ratio: float | int | None, batch: Tensor, min_score: float | None = None) -> Tensor:
    """Indices of the kept nodes, grouped by graph, best score first within each graph.

    ``min_score`` keeps every node scoring above ``min(min_score, best score of its graph
    - 1e-7)`` (so each graph keeps at least one node); otherwise each graph keeps
    ``ceil(ratio * n)`` nodes for a float ``ratio`` in (0, 1], or ``min(ratio, n)`` for an
    integer ``ratio``.
    """
    num_graphs = int(batch.max()) + 1 if batch.numel() else 0
    if min_score is not None:
        best = scatter(score, batch, dim=0, dim_size=num_graphs, reduce="max") - 1e-7
        bound = best.clamp(max=min_score).index_select(0, batch)
        keep = (score > bound).nonzero().view(-1)
        order = torch.argsort(score[keep], descending=True, stable=True)
        keep = keep[order]
        return keep[torch.argsort(batch[keep], stable=True)]
    if ratio is None:
        raise ValueError("topk: give ratio or min_score")
    counts = torch.zeros(num_graphs, dtype=torch.long, device=batch.device).index_add_(
        0, batch, torch.ones_like(batch))
    if isinstance(ratio, float) and 0 < ratio <= 1:
        k = torch.ceil(ratio * counts.to(torch.float64)).long()
    elif isinstance(ratio, int) and ratio >= 1:
        k = counts.clamp(max=ratio)
    else:
        raise ValueError(f"topk: ratio must be a float in (0, 1] or an int >= 1, got {ratio!r}")
    order = torch.argsort(score, descending=True, stable=True)
    order = order[torch.argsort(batch[order], stable=True)]
    ptr = torch.cat([counts.new_zeros(1), counts.cumsum(0)])
    rank = torch.arange(order.numel(), device=batch.device) - ptr[batch[order]]
    return order[rank < k[batch[order]]]


def filter_adj(edge_index: Tensor, edge_attr: Tensor | None, perm: Tensor, num_nodes: int):
    """Edges between kept nodes ``perm``, renumbered to positions in ``perm``."""
    new_id = torch.full((num_nodes,), -1, dtype=torch.long, device=perm.device)
    new_id[perm] = torch.arange(perm.numel(), device=perm.device)
    src, dst = new_id[edge_index[0]], new_id[edge_index[1]]
    keep = (src >= 0) & (dst >= 0)
    out = torch.stack([src[keep], dst[keep]])
    return out, (edge_attr[keep] if edge_attr is not None else None)

