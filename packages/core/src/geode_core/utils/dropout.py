"""Random edge dropout."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index


def dropout_edge(edge_index: Tensor, p: float = 0.5, force_undirected: bool = False,
                 training: bool = True, generator: torch.Generator | None = None):
    """Drop each edge with probability ``p``; returns ``(edge_index, edge_mask)``.

    ``edge_mask`` is a bool mask over the input edges. With ``force_undirected`` the
    decision is made once per pair ``i < j`` (edges ``i > j`` and loops are dropped from
    the input) and kept pairs are returned in both directions; ``edge_mask`` then holds,
    for each output edge, the index of the input edge it came from.
    """
    check_edge_index(edge_index)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout_edge: p must lie in [0, 1], got {p}")
    if not training or p == 0.0:
        mask = torch.ones(edge_index.size(1), dtype=torch.bool, device=edge_index.device)
        return edge_index, mask
    keep = torch.rand(edge_index.size(1), generator=generator).to(edge_index.device) >= p
    if not force_undirected:
        return edge_index[:, keep], keep
    keep &= edge_index[0] < edge_index[1]
    idx = keep.nonzero().view(-1)
    kept = edge_index[:, idx]
    return torch.cat([kept, kept.flip(0)], dim=1), torch.cat([idx, idx])
