"""Global -> local node ids of one node type while a sample grows.

New nodes get the next local ids in order of first appearance. ``DenseIndex`` (one entry
per node of the graph, no sorting) serves shared samples; ``TreeIndex`` keys nodes by
``(tree, global id)`` for disjoint samples, where a node reached from two seeds appears
once per tree.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["DenseIndex", "TreeIndex", "first_occurrence_unique"]


def first_occurrence_unique(keys: Tensor) -> Tensor:
    """Distinct values of ``keys`` in order of first appearance."""
    if keys.numel() == 0:
        return keys
    uniq, inv = torch.unique(keys, return_inverse=True)
    first = torch.full((uniq.numel(),), keys.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inv, torch.arange(keys.numel()), reduce="amin")
    return uniq[torch.argsort(first)]


class DenseIndex:
    """Shared sample: a dense ``global -> local`` table. A repeated seed keeps its slots in
    ``n_id``; edges attach to (and expansion starts from) its first slot."""

    def __init__(self, num_nodes: int, seeds: Tensor, offset: int = 0):
        self.table = torch.full((num_nodes,), -1, dtype=torch.long)
        slots = torch.arange(seeds.numel())
        self.table.scatter_reduce_(0, seeds, slots, reduce="amin", include_self=False)
        first = self.table[seeds] == slots
        self.frontier_local, self.frontier_global = slots[first], seeds[first]
        self.count = seeds.numel()
        self._first_at = None

    def seed_frontier(self) -> tuple[Tensor, Tensor, Tensor | None]:
        return self.frontier_local, self.frontier_global, None

    def add(self, nbr_global: Tensor, nbr_batch: Tensor | None) -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
        """Local ids of ``nbr_global``; returns ``(nbr_local, new_local, new_global, None)``."""
        if self._first_at is None:
            # Only entries written by the scatter below are ever read: no initialisation needed.
            self._first_at = torch.empty_like(self.table)
        unseen = nbr_global[self.table.index_select(0, nbr_global) < 0]
        idx = torch.arange(unseen.numel())
        self._first_at.scatter_reduce_(0, unseen, idx, reduce="amin", include_self=False)
        new_global = unseen[self._first_at.index_select(0, unseen) == idx]
        new_local = torch.arange(self.count, self.count + new_global.numel())
        self.count += new_global.numel()
        self.table.index_copy_(0, new_global, new_local)
        return self.table.index_select(0, nbr_global), new_local, new_global, None


class TreeIndex:
    """Disjoint sample: nodes keyed by ``tree * num_nodes + global``; ``tree_offset`` numbers
    this type's seeds among all seeds of the sample."""

    def __init__(self, num_nodes: int, seeds: Tensor, tree_offset: int = 0):
        self.stride = max(num_nodes, 1)
        self.seed_batch = torch.arange(tree_offset, tree_offset + seeds.numel())
        self.keys, order = torch.sort(self.seed_batch * self.stride + seeds)
        self.local = order
        self.seeds = seeds
        self.count = seeds.numel()

    def seed_frontier(self) -> tuple[Tensor, Tensor, Tensor]:
        return torch.arange(self.seeds.numel()), self.seeds, self.seed_batch

    def _lookup(self, keys: Tensor) -> tuple[Tensor, Tensor]:
        at = torch.searchsorted(self.keys, keys)
        if self.keys.numel() == 0:
            return at, torch.zeros_like(keys, dtype=torch.bool)
        return at, (at < self.keys.numel()) & (self.keys[at.clamp_max(self.keys.numel() - 1)] == keys)

    def add(self, nbr_global: Tensor, nbr_batch: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """Returns ``(nbr_local, new_local, new_global, new_batch)``."""
        keys = nbr_batch * self.stride + nbr_global
        _, found = self._lookup(keys)
        new_keys = first_occurrence_unique(keys[~found])
        new_local = torch.arange(self.count, self.count + new_keys.numel())
        self.count += new_keys.numel()
        self.keys, order = torch.sort(torch.cat([self.keys, new_keys]))
        self.local = torch.cat([self.local, new_local])[order]
        nbr_local = self.local[torch.searchsorted(self.keys, keys)]
        return nbr_local, new_local, new_keys % self.stride, new_keys // self.stride
