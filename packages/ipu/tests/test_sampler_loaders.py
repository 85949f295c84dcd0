"""Fixed-size NeighborLoader / ClusterLoader (with geode-sampler), and their absence without it."""

import importlib
import sys

import pytest
import torch

from geode_core.data import Data
from geode_core.nn import GCNConv

geode_sampler = pytest.importorskip("geode_sampler")
from geode_ipu import FixedSizeNeighborLoader, FixedSizeOptions  # noqa: E402


@pytest.fixture
def graph():
    g = torch.Generator().manual_seed(0)
    return Data(x=torch.randn(60, 3, generator=g), edge_index=torch.randint(0, 60, (2, 240), generator=g),
                y=torch.randint(0, 3, (60,), generator=g))


def test_batches_share_shapes_and_keep_seeds_first(graph):
    loader = FixedSizeNeighborLoader(graph, [4, 3], batch_size=8, seed=0)
    options = loader.fixed_size_options
    seeds = torch.arange(60)
    seen = []
    for batch in loader:
        assert (batch.num_nodes, batch.num_edges) == (options.num_nodes, options.num_edges)
        assert batch.batch_size == min(8, 60 - len(seen))  # batch_size preserved
        seen += batch.n_id[:batch.batch_size].tolist()
        assert batch.nodes_mask[:batch.batch_size].all()
        assert not batch.nodes_mask[batch.edge_index[:, ~batch.edges_mask].reshape(-1)].any()
    assert seen == seeds.tolist()


def test_outputs_on_real_nodes_match_the_plain_loader(graph):
    plain = list(geode_sampler.NeighborLoader(graph, [-1], batch_size=10))  # deterministic
    options = FixedSizeOptions(num_nodes=80, num_edges=300)
    fixed = list(FixedSizeNeighborLoader(graph, [-1], batch_size=10, fixed_size_options=options,
                                         over_size_strategy="error"))
    conv = GCNConv(3, 2, add_self_loops=False)
    for p, f in zip(plain, fixed):
        n = p.num_nodes
        assert torch.equal(f.n_id[:n], p.n_id) and int(f.nodes_mask.sum()) == n
        torch.testing.assert_close(conv(f.x, f.edge_index)[:n], conv(p.x, p.edge_index))


def test_trimming_keeps_seeds_and_is_reproducible(graph):
    options = FixedSizeOptions(num_nodes=14, num_edges=20)

    def run(seed):
        return list(FixedSizeNeighborLoader(graph, [-1, -1], batch_size=6, fixed_size_options=options,
                                            seed=seed, shuffle=False))
    a, b = run(1), run(1)
    for x, y in zip(a, b):
        assert torch.equal(x.n_id, y.n_id) and torch.equal(x.edge_index, y.edge_index)
        assert x.num_nodes == 14 and torch.equal(x.n_id[:x.batch_size], y.n_id[:y.batch_size])
    assert [x.n_id[:x.batch_size].tolist() for x in a] == [list(range(i, min(i + 6, 60)))
                                                          for i in range(0, 60, 6)]
    with pytest.raises(ValueError, match="skip"):
        FixedSizeNeighborLoader(graph, [2], batch_size=6, fixed_size_options=options,
                                over_size_strategy="skip")


def test_cluster_loader_pads_every_batch(graph):
    pytest.importorskip("pymetis")
    from geode_ipu import FixedSizeClusterLoader

    clusters = geode_sampler.ClusterData(graph, num_parts=6)
    loader = FixedSizeClusterLoader(clusters, batch_size=2, shuffle=True)
    shapes = {(b.num_nodes, b.num_edges) for b in loader}
    assert len(shapes) == 1


def test_without_geode_sampler_the_names_are_absent(monkeypatch):
    monkeypatch.setitem(sys.modules, "geode_sampler", None)  # import geode_sampler fails
    for name in [m for m in sys.modules if m.startswith("geode_ipu")]:
        monkeypatch.delitem(sys.modules, name)
    ipu = importlib.import_module("geode_ipu")
    assert not hasattr(ipu, "FixedSizeNeighborLoader")
    assert "FixedSizeClusterLoader" not in ipu.__all__
    assert hasattr(ipu, "FixedSizeDataLoader")
