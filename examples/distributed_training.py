"""Distributed GraphSAGE training on a partitioned graph: torch.distributed + DDP.

Launch one process per partition (here 2, on this machine; the same command with
``--nnodes``/``--rdzv-endpoint`` runs across machines):

    torchrun --nproc-per-node 2 examples/distributed_training.py
    # or, without the torchrun script on PATH:
    python -m torch.distributed.run --nproc-per-node 2 examples/distributed_training.py

Rank 0 partitions a synthetic community graph with METIS (random when pymetis is not
installed) into ``$GEODE_PARTITIONS`` (default: a temporary folder); every rank then
serves its partition's features and adjacency, samples mini-batches around its own
training nodes with neighbours fetched from every rank, and trains one replica of the
model under DistributedDataParallel.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from geode_core.data import Data
from geode_core.nn import SAGEConv
from geode_stores import DistContext, DistNeighborLoader, Partitioner, load_partition


def community_graph(num_nodes=4000, classes=4, degree=10, seed=0) -> Data:
    """Nodes in ``classes`` communities; 90 % of edges stay inside one; noisy features."""
    g = torch.Generator().manual_seed(seed)
    label = torch.randint(classes, (num_nodes,), generator=g)
    members = [torch.nonzero(label == c).view(-1) for c in range(classes)]
    src = torch.randint(num_nodes, (num_nodes * degree,), generator=g)
    inside = torch.rand(src.numel(), generator=g) < 0.9
    dst = torch.randint(num_nodes, (src.numel(),), generator=g)
    for c, nodes in enumerate(members):
        pick = inside & (label[src] == c)
        dst[pick] = nodes[torch.randint(nodes.numel(), (int(pick.sum()),), generator=g)]
    x = F.one_hot(label, classes).float() + 1.5 * torch.randn(num_nodes, classes, generator=g)
    return Data(x=x, y=label, edge_index=torch.stack([src, dst]))


class SAGE(torch.nn.Module):
    def __init__(self, in_channels: int, hidden: int, out_channels: int) -> None:
        super().__init__()
        self.conv1 = SAGEConv(in_channels, hidden)
        self.conv2 = SAGEConv(hidden, out_channels)

    def forward(self, x, edge_index):
        return self.conv2(F.relu(self.conv1(x, edge_index)), edge_index)


def main() -> None:
    ctx = DistContext.from_env().init_process_group(timeout=120.0)
    root = Path(os.environ.get("GEODE_PARTITIONS", Path(tempfile.gettempdir()) / "geode-parts"))
    if ctx.is_main:
        try:
            import pymetis  # noqa: F401
            strategy = "metis"
        except ImportError:
            strategy = "random"
        Partitioner(community_graph(), ctx.world_size, root, strategy=strategy,
                    overwrite=True).generate_partition()
    dist.barrier()
    part = load_partition(root, ctx.rank)
    mine = part.book.nodes_of(ctx.rank)
    per_rank = min(int(s) for s in part.book.sizes) // 2  # same number of batches everywhere
    train = mine[:per_rank]
    loader = DistNeighborLoader(part, [10, 5], input_nodes=train, batch_size=128, shuffle=True)
    torch.manual_seed(0)
    model = DistributedDataParallel(SAGE(4, 32, 4))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(5):
        total = correct = seen = 0.0
        for batch in loader:
            out = model(batch.x, batch.edge_index)[: batch.batch_size]
            y = batch.y[: batch.batch_size]
            loss = F.cross_entropy(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * y.numel()
            correct += int((out.argmax(-1) == y).sum())
            seen += y.numel()
        stats = torch.tensor([total, correct, seen])
        dist.all_reduce(stats)
        if ctx.is_main:
            print(f"epoch {epoch}: loss {stats[0] / stats[2]:.3f}  train acc {stats[1] / stats[2]:.3f}"
                  f"  ({ctx.world_size} ranks, {part.meta['strategy']} partitions)", flush=True)
    ctx.destroy()


if __name__ == "__main__":
    main()
