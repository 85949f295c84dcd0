"""``DistNeighborLoader``: mini-batches of sampled subgraphs with features from all ranks."""

from __future__ import annotations

from collections.abc import Iterator

import torch
import torch.distributed as dist
from torch import Tensor

from geode_core.data import Data

from ..partition import Partition
from .exchange import all_reduce_max
from .feature_store import DistFeatureStore
from .sampler import DistNeighborSampler

__all__ = ["DistNeighborLoader"]


class DistNeighborLoader:
    """Iterate this rank's seed nodes in mini-batches, each a sampled :class:`Data`.

    Each batch holds ``x`` (and ``y``, when the graph has node labels) of every sampled
    node, ``edge_index`` in local ids, ``n_id``/``e_id`` (global ids) and ``batch_size``
    (the seeds come first). Iteration is collective: every rank runs as many sampling
    rounds as the rank with the most batches, ranks that ran out take part with empty
    requests, so different numbers of seeds per rank never deadlock. (For DDP, give every
    rank the same number of batches.)

    Args:
        partition: this rank's partition (:func:`~geode_stores.partition.load_partition`).
        num_neighbors: fan-out per hop.
        input_nodes: global ids of the seeds this rank iterates.
        batch_size: seeds per batch.
        shuffle: reshuffle the seeds every epoch (keyed by seed, epoch and rank).
        seed: base seed of shuffling and sampling.
        node_attrs: node attributes to fetch (default ``x`` and, if present, ``y``).
    """

    def __init__(self, partition: Partition, num_neighbors: list[int], input_nodes: Tensor,
                 batch_size: int = 1, shuffle: bool = False, seed: int = 0,
                 node_attrs: list[str] | None = None) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size: expected >= 1, given {batch_size}")
        self.sampler = DistNeighborSampler(partition, num_neighbors, seed=seed)
        self.features = DistFeatureStore(partition)
        self.input_nodes = partition.book.check_ids(input_nodes)
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed
        available = partition.meta["node_attrs"]
        if node_attrs is None:
            node_attrs = [k for k in ("x", "y") if k in available]
        unknown = [k for k in node_attrs if k not in available]
        if unknown:
            raise KeyError(f"node_attrs: {unknown} are not in the partitioned graph; "
                           f"available: {list(available)}")
        self.node_attrs = node_attrs
        self.epoch = 0

    def __len__(self) -> int:
        return -(-self.input_nodes.numel() // self.batch_size)

    def __iter__(self) -> Iterator[Data]:
        epoch, self.epoch = self.epoch, self.epoch + 1
        seeds = self.input_nodes
        if self.shuffle:
            g = torch.Generator().manual_seed((self.seed * 1_000_003 + epoch) * 1009 + dist.get_rank())
            seeds = seeds[torch.randperm(seeds.numel(), generator=g)]
        batches = list(seeds.split(self.batch_size))
        rounds = all_reduce_max(len(batches), what="DistNeighborLoader batch count")
        empty = torch.empty(0, dtype=torch.long)
        for i in range(rounds):
            batch = batches[i] if i < len(batches) else empty
            out = self.sampler.sample(batch, epoch=epoch)
            data = Data(edge_index=out.edge_index, n_id=out.n_id, e_id=out.e_id,
                        batch_size=batch.numel())
            for key in self.node_attrs:
                data[key] = self.features.lookup(key, out.n_id)
            data.num_nodes = out.n_id.numel()
            if batch.numel():
                yield data
