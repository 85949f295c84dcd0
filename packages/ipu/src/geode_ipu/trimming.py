"""Trim over-size graphs to a node or edge budget: random, seed-reproducible removals.

Seed nodes (the first ``data.batch_size`` nodes of a sampled subgraph, by the sampler
convention) are never removed, and every graph that had nodes keeps at least one.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from geode_core.data import Data


def seed_count(data: Data) -> int:
    """How many leading nodes are seeds: ``data.batch_size`` for sampled subgraphs, else 0."""
    value = data.get("batch_size")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _random_keep_masks(owner: torch.Tensor, local: torch.Tensor, excess: int, counts: list[int],
                       generator: torch.Generator) -> list[torch.Tensor | None]:
    """Drop ``excess`` random candidates (graph ``owner``, position ``local``); per graph, the
    keep mask over its ``counts[g]`` items, or None when nothing of it goes."""
    chosen = torch.randperm(owner.numel(), generator=generator)[:excess]
    masks: list[torch.Tensor | None] = []
    for g, count in enumerate(counts):
        drop = local[chosen[owner[chosen] == g]]
        if drop.numel() == 0:
            masks.append(None)
            continue
        keep = torch.ones(count, dtype=torch.bool)
        keep[drop] = False
        masks.append(keep)
    return masks


def trim_nodes(data_list: Sequence[Data], max_nodes: int, generator: torch.Generator) -> list[Data]:
    """Remove random non-seed nodes (and their edges) until at most ``max_nodes`` remain."""
    data_list = list(data_list)
    counts = [int(d.num_nodes or 0) for d in data_list]
    excess = sum(counts) - max_nodes
    if excess <= 0:
        return data_list
    # candidates: every node except the seeds and one kept node (node 0) per graph
    owners, locals_ = [], []
    for g, (d, n) in enumerate(zip(data_list, counts)):
        first = max(seed_count(d), 1)
        if n > first:
            owners.append(torch.full((n - first,), g, dtype=torch.long))
            locals_.append(torch.arange(first, n))
    available = sum(o.numel() for o in owners)
    if available < excess:
        raise ValueError(f"trim_nodes: {sum(counts)} nodes must shrink to {max_nodes} but only "
                         f"{available} can go (seed nodes and one node per graph stay); "
                         f"raise num_nodes or lower batch_size")
    masks = _random_keep_masks(torch.cat(owners), torch.cat(locals_), excess, counts, generator)
    return [d if keep is None else d.subgraph(keep.to(d.x.device) if "x" in d else keep)
            for d, keep in zip(data_list, masks)]


def trim_edges(data_list: Sequence[Data], max_edges: int, generator: torch.Generator) -> list[Data]:
    """Remove random edges (with their edge attributes) until at most ``max_edges`` remain."""
    data_list = list(data_list)
    counts = [d.num_edges for d in data_list]
    excess = sum(counts) - max_edges
    if excess <= 0:
        return data_list
    owner = torch.repeat_interleave(torch.arange(len(counts)), torch.tensor(counts))
    local = torch.cat([torch.arange(c) for c in counts])
    masks = _random_keep_masks(owner, local, excess, counts, generator)
    return [d if keep is None else d.edge_subgraph(keep.to(d.edge_index.device))
            for d, keep in zip(data_list, masks)]
