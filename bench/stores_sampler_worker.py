"""One rank of bench/stores.py's sampler-throughput measurement (started like torchrun does).

Iterates a ``DistNeighborLoader`` over this rank's seeds and records, per batch, the wall
time (the whole loader step and its sampling part), the sampled edges, the fraction of sampled nodes owned by another rank and the bytes
this rank sends to and receives from other ranks (sampling and feature exchanges apart).

Usage: python stores_sampler_worker.py PARTITION_DIR OUT_FILE BATCH_SIZE NUM_BATCHES
"""

from __future__ import annotations

import json
import sys
import time

import torch
import torch.distributed as dist

from geode_stores.distributed import DistContext, DistNeighborLoader
from geode_stores.partition import load_partition

FANOUT = [10, 5]


class ByteCounter:
    """Wraps ``dist.all_to_all_single`` to add up the bytes exchanged with other ranks."""

    def __init__(self) -> None:
        self.bytes = 0
        self._inner = dist.all_to_all_single
        dist.all_to_all_single = self

    def __call__(self, output, input, output_split_sizes=None, input_split_sizes=None, **kw):
        rank, world = dist.get_rank(), dist.get_world_size()
        for t, splits in ((input, input_split_sizes), (output, output_split_sizes)):
            remote = t.numel() - splits[rank] if splits else t.numel() * (world - 1) // world
            self.bytes += remote * t.element_size()
        return self._inner(output, input, output_split_sizes, input_split_sizes, **kw)


def main() -> None:
    root, out_file, batch_size, num_batches = sys.argv[1:5]
    batch_size, num_batches = int(batch_size), int(num_batches)
    torch.set_num_threads(1)
    ctx = DistContext.from_env().init_process_group(timeout=120.0)
    part = load_partition(root, ctx.rank)
    mine = part.book.nodes_of(ctx.rank)
    seeds = mine[torch.randperm(mine.numel(), generator=torch.Generator().manual_seed(ctx.rank))]
    loader = DistNeighborLoader(part, FANOUT, input_nodes=seeds[: batch_size * (num_batches + 1)],
                                batch_size=batch_size, seed=0)
    counter = ByteCounter()
    sample = loader.sampler.sample
    sampling = {"bytes": 0, "seconds": 0.0}

    def counted_sample(batch, epoch=0):  # the sampler's share of the bytes, apart from features
        before, t0 = counter.bytes, time.perf_counter()
        result = sample(batch, epoch=epoch)
        sampling["bytes"], sampling["seconds"] = counter.bytes - before, time.perf_counter() - t0
        return result

    loader.sampler.sample = counted_sample
    rows = []
    dist.barrier()
    start, counter.bytes = time.perf_counter(), 0
    for batch in loader:  # the first batch is a warm-up, dropped below
        now = time.perf_counter()
        remote = part.book.owner[batch.n_id] != ctx.rank
        rows.append({"seconds": now - start, "sampling_seconds": sampling["seconds"], "edges": batch.edge_index.size(1),
                     "nodes": batch.n_id.numel(), "remote_fraction": float(remote.double().mean()),
                     "sampling_bytes": sampling["bytes"],
                     "feature_bytes": counter.bytes - sampling["bytes"]})
        start, counter.bytes = time.perf_counter(), 0
    with open(out_file, "w") as f:
        json.dump(rows[1:], f)
    ctx.destroy()


if __name__ == "__main__":
    main()
