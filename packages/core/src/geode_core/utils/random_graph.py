"""Random graph models."""

from __future__ import annotations

import torch
from torch import Tensor

#: node pairs drawn per chunk when sampling a stochastic block model
CHUNK_PAIRS = 1 << 22


def stochastic_blockmodel_graph(block_sizes: list[int] | Tensor, edge_probs: list | Tensor,
                                directed: bool = False,
                                generator: torch.Generator | None = None) -> Tensor:
    """Sample a stochastic block model: nodes ``0 .. sum(block_sizes) - 1`` in consecutive
    blocks; each pair ``(i, j)``, ``i != j``, is an edge with probability
    ``edge_probs[block(i)][block(j)]``. Undirected graphs (``edge_probs`` symmetric) draw
    each pair once and return both directions. Edges are sorted by source then target.
    """
    sizes = torch.as_tensor(block_sizes, dtype=torch.long).view(-1)
    probs = torch.as_tensor(edge_probs, dtype=torch.float64)
    k = sizes.numel()
    if probs.shape != (k, k):
        raise ValueError(f"stochastic_blockmodel_graph: edge_probs must be [{k}, {k}] (one "
                         f"row and column per block), got {list(probs.shape)}")
    if bool((probs < 0).any() | (probs > 1).any()):
        raise ValueError("stochastic_blockmodel_graph: edge_probs must lie in [0, 1]")
    if not directed and not torch.equal(probs, probs.t()):
        raise ValueError("stochastic_blockmodel_graph: an undirected model needs symmetric "
                         "edge_probs; pass directed=True otherwise")
    block = torch.repeat_interleave(torch.arange(k), sizes)
    n = block.numel()
    rows_per_chunk = max(1, CHUNK_PAIRS // max(n, 1))
    cols = torch.arange(n)
    parts = []
    for start in range(0, n, rows_per_chunk):
        rows = torch.arange(start, min(n, start + rows_per_chunk))
        p = probs[block[rows][:, None], block[None, :]]
        hit = torch.rand(p.shape, generator=generator, dtype=torch.float64) < p
        hit &= (rows[:, None] < cols[None, :]) if not directed else (rows[:, None] != cols[None, :])
        parts.append(hit.nonzero() + torch.tensor([start, 0]))
    pairs = torch.cat(parts).t() if parts else torch.empty(2, 0, dtype=torch.long)
    if not directed:
        pairs = torch.cat([pairs, pairs.flip(0)], 1)
        pairs = pairs[:, torch.argsort(pairs[0] * max(n, 1) + pairs[1])]
    return pairs


def erdos_renyi_graph(num_nodes: int, edge_prob: float, directed: bool = False,
                      generator: torch.Generator | None = None) -> Tensor:
    """Sample a G(n, p) random graph: each pair ``i != j`` is an edge with probability
    ``edge_prob`` (once per unordered pair unless ``directed``)."""
    return stochastic_blockmodel_graph([num_nodes], [[edge_prob]], directed, generator)
