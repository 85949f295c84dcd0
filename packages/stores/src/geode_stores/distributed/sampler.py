"""``DistNeighborSampler``: neighbour sampling over partitions, one rank per partition.

Per hop, each rank sends every frontier node to its owner (all-to-all), owners sample the
incoming neighbours of the nodes they received from their local CSC, and send back the
neighbour ids and edge ids. Draws are keyed by ``(seed, epoch, hop, global node id)``
(:mod:`geode_stores.keyed_sampling`), so the result equals what one process sampling the
whole graph with :func:`~geode_stores.keyed_sampling.csc_hop` returns.
"""

from __future__ import annotations

import torch
import torch.distributed as dist
from torch import Tensor

from ..keyed_sampling import NeighborSample, sample_multi_hop, select_positions
from ..partition import Partition
from .exchange import all_to_all, split_by_owner

__all__ = ["DistNeighborSampler"]


class DistNeighborSampler:
    """Sample ``num_neighbors`` incoming neighbours per hop around global seed ids.

    :meth:`sample` is a collective: all ranks call it the same number of times (a rank
    with no seeds passes an empty tensor).
    """

    def __init__(self, partition: Partition, num_neighbors: list[int], seed: int = 0) -> None:
        if not all(isinstance(k, int) and (k >= 0 or k == -1) for k in num_neighbors):
            raise ValueError(f"num_neighbors: expected ints >= 0 or -1, given {num_neighbors!r}")
        self.partition = partition
        self.book = partition.book
        self.num_neighbors = list(num_neighbors)
        self.seed = int(seed)
        colptr, row, _ = (d[None] for d in partition.graph.csc([None]))
        self.colptr, self.row, self.edge_ids = colptr, row, partition.edge_ids

    def sample(self, seeds: Tensor, epoch: int = 0) -> NeighborSample:
        seeds = self.book.check_ids(seeds)
        return sample_multi_hop(lambda f, k, h: self._hop(f, k, h, epoch), seeds, self.num_neighbors)

    def _hop(self, frontier: Tensor, k: int, hop: int, epoch: int) -> tuple[Tensor, Tensor, Tensor]:
        world = dist.get_world_size()
        groups, order = split_by_owner(frontier, self.book.owner[frontier], world)
        what = f"neighbour sampling hop {hop}"
        asked = all_to_all(groups, what=what)
        nodes = torch.cat(asked)
        local = self.book.local[nodes]
        start = self.colptr[local]
        deg = self.colptr[local + 1] - start
        seg, pos = select_positions(nodes, start, deg, k, self.seed, epoch, hop)
        count = torch.bincount(seg, minlength=nodes.numel())
        per_rank = [a.numel() for a in asked]
        edges_per_rank = [int(c.sum()) for c in count.split(per_rank)]
        counts = all_to_all(list(count.split(per_rank)), what=what)
        nbrs = all_to_all(list(self.row[pos].split(edges_per_rank)), what=what)
        eids = all_to_all(list(self.edge_ids[pos].split(edges_per_rank)), what=what)
        count, nbr, eid = torch.cat(counts), torch.cat(nbrs), torch.cat(eids)
        seg = order[torch.repeat_interleave(torch.arange(frontier.numel()), count)]
        by_frontier = torch.argsort(seg, stable=True)
        return seg[by_frontier], nbr[by_frontier], eid[by_frontier]
