"""Multi-process tests on loopback: each rank is a process started the way torchrun starts it.

Distributed lookups and sampling must equal what one process computes on the whole graph;
2-rank DDP must equal one process averaging the two ranks' gradients; a rank that exits
early must make the others fail with a clear error, within the timeout.
"""

from pathlib import Path

import pytest
import torch

from geode_core.data import Data
from geode_stores.distributed import launch_local
from geode_stores.keyed_sampling import csc_hop, sample_multi_hop
from geode_stores.partition import Partitioner

pytestmark = pytest.mark.distributed

WORKER = Path(__file__).with_name("dist_worker.py")


def _graph(num_nodes=120, num_edges=900):
    g = torch.Generator().manual_seed(0)
    return Data(x=torch.randn(num_nodes, 8, generator=g),
                y=torch.randint(3, (num_nodes,), generator=g),
                edge_index=torch.randint(num_nodes, (2, num_edges), generator=g))


def _launch(scenario, root, out, world, timeout=60):
    """Start ``world`` ranks with torchrun's environment variables; join with a timeout."""
    launch_local(lambda rank: [str(WORKER), scenario, str(root), str(out)], world, timeout)
    return [torch.load(out / f"rank{r}.pt", weights_only=True) for r in range(world)
            if (out / f"rank{r}.pt").exists()]


def _full_csc(data):
    dst = data.edge_index[1]
    perm = torch.argsort(dst, stable=True)
    colptr = torch.zeros(data.num_nodes + 1, dtype=torch.long)
    colptr[1:] = torch.cumsum(torch.bincount(dst, minlength=data.num_nodes), 0)
    return colptr, data.edge_index[0][perm], perm


def _check_lookups_and_sampling(data, results):
    colptr, row, perm = _full_csc(data)
    for res in results:
        assert torch.equal(res["x"], data.x[res["ids"]])
        assert torch.equal(res["y"], data.y[res["ids"][:5]])
        assert torch.equal(res["x_one"], data.x[3])
        for epoch in (0, 1):
            ref = sample_multi_hop(csc_hop(colptr, row, perm, seed=9, epoch=epoch), res["seeds"], [3, 2])
            n_id, edge_index, e_id = res[f"sample{epoch}"]
            assert torch.equal(n_id, ref.n_id) and torch.equal(edge_index, ref.edge_index)
            assert torch.equal(e_id, ref.e_id)
    batch_counts = [len(res["batches"]) for res in results]
    assert batch_counts == [-(-(6 + 5 * r) // 4) for r in range(len(results))]
    for res in results:
        for n_id, edge_index, x, y, batch_size in res["batches"]:
            assert torch.equal(x, data.x[n_id]) and torch.equal(y, data.y[n_id])
            src, dst = n_id[edge_index[0]], n_id[edge_index[1]]
            edges = set(zip(data.edge_index[0].tolist(), data.edge_index[1].tolist()))
            assert set(zip(src.tolist(), dst.tolist())) <= edges
            assert batch_size <= 4


def _ddp_reference(data):
    """One process: the mean of the two ranks' losses, i.e. their averaged gradients."""
    torch.manual_seed(0)
    model = torch.nn.Linear(8, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    halves = [torch.arange(r * 20, r * 20 + 20) for r in range(2)]
    for _ in range(3):
        loss = sum(torch.nn.functional.cross_entropy(model(data.x[h]), data.y[h]) for h in halves) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    return [p.detach() for p in model.parameters()]


def test_two_ranks_lookup_sampling_and_ddp_equal_single_process(tmp_path):
    data = _graph()
    Partitioner(data, 2, tmp_path / "parts", strategy="hash").generate_partition()
    out = tmp_path / "out"
    out.mkdir()
    results = _launch("lookups_and_sampling,ddp", tmp_path / "parts", out, 2)
    assert len(results) == 2
    _check_lookups_and_sampling(data, results)
    expected = _ddp_reference(data)
    for res in results:
        for got, want in zip(res["params"], expected):
            torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)


def test_three_ranks_equal_single_process_then_a_rank_exits_early(tmp_path):
    data = _graph()
    Partitioner(data, 3, tmp_path / "parts", strategy="random").generate_partition()
    out = tmp_path / "out"
    out.mkdir()
    results = _launch("lookups_and_sampling,exit_early", tmp_path / "parts", out, 3)
    assert len(results) == 3
    _check_lookups_and_sampling(data, results)
    assert "error" not in results[2]  # rank 2 left before the failing lookup
    for rank, res in enumerate(results[:2]):
        assert res["error"] is not None, f"rank {rank} did not notice the missing rank"
        assert f"rank {rank}: feature lookup" in res["error"]
        assert "another rank exited" in res["error"]
        assert res["seconds"] < 30
