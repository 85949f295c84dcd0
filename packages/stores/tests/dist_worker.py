"""One rank of the multi-process tests, launched like torchrun launches it (env vars).

Usage: python dist_worker.py SCENARIO[,SCENARIO...] PARTITION_DIR OUT_DIR
"""

import os
import sys
import time

import torch

from geode_stores.distributed import (
    DistContext,
    DistFeatureStore,
    DistNeighborLoader,
    DistNeighborSampler,
    DistributedError,
)
from geode_stores.partition import load_partition


def lookups_and_sampling(ctx, part, out):
    store = DistFeatureStore(part)
    g = torch.Generator().manual_seed(100 + ctx.rank)
    ids = torch.randint(part.book.num_nodes, (50 + 7 * ctx.rank,), generator=g)
    result = {"ids": ids, "x": store.get_tensor(None, "x", ids),
              "y": store.get_tensor(None, "y", ids[:5]), "x_one": store.get_tensor(None, "x", 3)}
    sampler = DistNeighborSampler(part, [3, 2], seed=9)
    seeds = torch.randint(part.book.num_nodes, (4 + ctx.rank,), generator=g)
    result["seeds"] = seeds
    for epoch in (0, 1):
        s = sampler.sample(seeds, epoch=epoch)
        result[f"sample{epoch}"] = (s.n_id, s.edge_index, s.e_id)
    mine = part.book.nodes_of(ctx.rank)[: 6 + 5 * ctx.rank]  # uneven batch counts per rank
    loader = DistNeighborLoader(part, [2, 2], input_nodes=mine, batch_size=4, seed=1)
    result["batches"] = [(b.n_id, b.edge_index, b.x, b.y, b.batch_size) for b in loader]
    return result


def ddp(ctx, part, out):
    from torch.nn.parallel import DistributedDataParallel

    store = DistFeatureStore(part)
    torch.manual_seed(0)
    model = torch.nn.Linear(8, 3)
    ddp_model = DistributedDataParallel(model)
    opt = torch.optim.SGD(ddp_model.parameters(), lr=0.5)
    ids = torch.arange(ctx.rank * 20, ctx.rank * 20 + 20)  # each rank its own half
    for _ in range(3):
        x, y = store.get_tensor(None, "x", ids), store.get_tensor(None, "y", ids)
        loss = torch.nn.functional.cross_entropy(ddp_model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {"params": [p.detach().clone() for p in model.parameters()]}


def exit_early(ctx, part, out):
    """The last rank leaves without a word; the others' next lookup must fail clearly."""
    if ctx.rank == ctx.world_size - 1:
        os._exit(0)
    store = DistFeatureStore(part)
    start = time.monotonic()
    try:
        store.get_tensor(None, "x", torch.arange(10))
    except DistributedError as error:
        return {"error": str(error), "seconds": time.monotonic() - start}
    return {"error": None}


SCENARIOS = {"lookups_and_sampling": lookups_and_sampling, "ddp": ddp, "exit_early": exit_early}


def main():
    """Run the comma-separated scenarios in order; save each rank's results."""
    scenarios, root, out = sys.argv[1:4]
    ctx = DistContext.from_env().init_process_group(timeout=10.0)
    part = load_partition(root, ctx.rank)
    result = {}
    for name in scenarios.split(","):
        if name == "exit_early":  # the survivors save what they saw before the failure
            torch.save(result, os.path.join(out, f"rank{ctx.rank}.pt"))
        result.update(SCENARIOS[name](ctx, part, out))
    torch.save(result, os.path.join(out, f"rank{ctx.rank}.pt"))
    if "exit_early" not in scenarios:
        ctx.destroy()


if __name__ == "__main__":
    main()
