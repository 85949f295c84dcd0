"""Segment softmax and negative sampling."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes
from .scatter import scatter


def softmax(src: Tensor, index: Tensor, num_nodes: int | None = None, dim: int = 0) -> Tensor:
    """Softmax of ``src`` over the groups given by ``index`` along ``dim``."""
    dim = dim + src.dim() if dim < 0 else dim
    n = infer_num_nodes(index.view(1, -1), num_nodes)
    seg_max = scatter(src.detach(), index, dim, n, "max")
    out = (src - seg_max.index_select(dim, index)).exp()
    denom = scatter(out, index, dim, n, "sum")
    return out / (denom.index_select(dim, index) + 1e-16)


def negative_sampling(edge_index: Tensor, num_nodes: int | None = None,
                      num_neg_samples: int | None = None, force_undirected: bool = False,
                      generator: torch.Generator | None = None) -> Tensor:
    """Sample node pairs ``(i, j)``, ``i != j``, that are not edges of ``edge_index``."""
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    want = edge_index.size(1) if num_neg_samples is None else int(num_neg_samples)
    existing = set((edge_index[0] * n + edge_index[1]).tolist())
    if force_undirected:
        existing |= set((edge_index[1] * n + edge_index[0]).tolist())
    capacity = n * n - n - len({k for k in existing if k // n != k % n})
    want = min(want, max(capacity, 0))
    chosen: list[int] = []
    seen = set(existing)
    while len(chosen) < want:
        cand = torch.randint(0, n * n, (max(2 * (want - len(chosen)), 16),), generator=generator)
        for k in cand.tolist():
            if k // n == k % n or k in seen:
                continue
            seen.add(k)
            if force_undirected:
                seen.add((k % n) * n + k // n)
            chosen.append(k)
            if len(chosen) == want:
                break
    keys = torch.tensor(chosen, dtype=torch.long, device=edge_index.device)
    out = torch.stack([keys // max(n, 1), keys % max(n, 1)])
    if force_undirected:
        out = torch.cat([out, out.flip(0)], dim=1)
    return out
