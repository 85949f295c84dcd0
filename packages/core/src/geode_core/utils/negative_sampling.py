"""Negative sampling: node pairs that are not edges of a graph."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes


def _sizes(edge_index: Tensor, num_nodes) -> tuple[int, int, bool]:
    """``(num_src, num_dst, bipartite)`` from an int, a ``(num_src, num_dst)`` pair or None."""
    if isinstance(num_nodes, (tuple, list)):
        if len(num_nodes) != 2:
            raise ValueError(f"negative_sampling: num_nodes must be an int or a (num_src, num_dst) "
                             f"pair, got {num_nodes!r}")
        return int(num_nodes[0]), int(num_nodes[1]), True
    n = infer_num_nodes(edge_index, num_nodes)
    return n, n, False


def negative_sampling(edge_index: Tensor, num_nodes: int | tuple[int, int] | None = None,
                      num_neg_samples: int | None = None, method: str = "sparse",
                      force_undirected: bool = False,
                      generator: torch.Generator | None = None) -> Tensor:
    """Sample distinct node pairs ``(i, j)`` that are not edges of ``edge_index``.

    ``num_nodes`` is the node count, or ``(num_src, num_dst)`` for a bipartite graph (then
    self loops are allowed, since source and destination are different node sets).
    Otherwise pairs ``(i, i)`` are never sampled. ``num_neg_samples`` defaults to the
    number of edges and is capped by the number of non-edges. ``method='dense'``
    enumerates every free pair and draws without replacement (exact, ``O(N^2)`` memory);
    ``'sparse'`` draws candidates and rejects edges and repeats. ``force_undirected``
    returns each sampled pair in both directions (``2 * num_neg_samples`` columns).
    """
    check_edge_index(edge_index)
    if method not in ("sparse", "dense"):
        raise ValueError(f"negative_sampling: method must be 'sparse' or 'dense', got {method!r}")
    num_src, num_dst, bipartite = _sizes(edge_index, num_nodes)
    if bipartite and force_undirected:
        raise ValueError("negative_sampling: force_undirected needs one node set; got a "
                         "(num_src, num_dst) pair")
    total = num_src * num_dst
    want = edge_index.size(1) if num_neg_samples is None else int(num_neg_samples)
    src, dst = edge_index[0].cpu(), edge_index[1].cpu()
    if force_undirected:
        src, dst = torch.minimum(src, dst), torch.maximum(src, dst)
    keep = torch.ones_like(src, dtype=torch.bool) if bipartite else src != dst
    edges = torch.unique(src[keep] * num_dst + dst[keep])  # sorted, no loops
    if force_undirected:
        free = num_src * (num_src - 1) // 2 - edges.numel()
    else:
        free = total - edges.numel() - (0 if bipartite else num_src)
    want = max(min(want, free), 0)
    if method == "dense" or want * 3 > free:
        allowed = torch.ones(total, dtype=torch.bool)
        allowed[edges] = False
        pair = torch.arange(total)
        if not bipartite:
            allowed &= (pair // max(num_dst, 1) < pair % max(num_dst, 1)) if force_undirected \
                else (pair // max(num_dst, 1) != pair % max(num_dst, 1))
        candidates = allowed.nonzero().view(-1)
        chosen = candidates[torch.randperm(candidates.numel(), generator=generator)[:want]]
    else:
        chosen = _rejection_sample(edges, num_src, num_dst, want, bipartite, force_undirected,
                                   generator)
    out = torch.stack([chosen // max(num_dst, 1), chosen % max(num_dst, 1)]).to(edge_index.device)
    if force_undirected:
        out = torch.cat([out, out.flip(0)], dim=1)
    return out


def _contains(sorted_keys: Tensor, query: Tensor) -> Tensor:
    if sorted_keys.numel() == 0:
        return torch.zeros_like(query, dtype=torch.bool)
    pos = torch.searchsorted(sorted_keys, query).clamp(max=sorted_keys.numel() - 1)
    return sorted_keys[pos] == query


def _rejection_sample(edges: Tensor, num_src: int, num_dst: int, want: int, bipartite: bool,
                      upper: bool, generator: torch.Generator | None) -> Tensor:
    """``want`` distinct free pair keys, drawn uniformly; ``edges`` are sorted taken keys."""
    picked = torch.empty(0, dtype=torch.long)
    while picked.numel() < want:
        n = 2 * (want - picked.numel()) + 16
        i = torch.randint(0, num_src, (n,), generator=generator)
        j = torch.randint(0, num_dst, (n,), generator=generator)
        if upper:
            i, j = torch.minimum(i, j), torch.maximum(i, j)
        ok = torch.ones(n, dtype=torch.bool) if bipartite else i != j
        cand = (i * num_dst + j)[ok]
        cand = cand[~_contains(edges, cand) & ~_contains(picked, cand)]
        cand = torch.unique(cand)
        cand = cand[torch.randperm(cand.numel(), generator=generator)[:want - picked.numel()]]
        picked = torch.sort(torch.cat([picked, cand])).values
    return picked[torch.randperm(picked.numel(), generator=generator)]
