import pytest
import torch
from sampler_checks import assert_fanout, assert_ids_map_back, random_data

from geode_core.data import Data
from geode_sampler import NeighborLoader, NeighborSampler, NodeLoader


def test_batches_slice_features_and_map_back():
    data = random_data(train_mask=torch.arange(60) % 3 == 0)
    loader = NeighborLoader(data, [4, 3], input_nodes=data.train_mask, batch_size=7)
    seeds = data.train_mask.nonzero().view(-1)
    seen = []
    for b in loader:
        assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)
        assert torch.equal(b.x, data.x[b.n_id]) and torch.equal(b.y, data.y[b.n_id])
        assert torch.equal(b.edge_attr, data.edge_attr[b.e_id])
        assert torch.equal(b.n_id[:b.batch_size], seeds[b.input_id])
        assert sum(b.num_sampled_nodes) == b.n_id.numel() and b.num_sampled_nodes[0] == b.batch_size
        assert sum(b.num_sampled_edges) == b.edge_index.size(1)
        assert b.n_id.unique().numel() == b.n_id.numel()
        assert_fanout(b.edge_index, b.num_sampled_nodes, b.num_sampled_edges, b.n_id, data.edge_index, [4, 3], 60)
        seen.append(b.input_id)
    assert torch.equal(torch.cat(seen), torch.arange(seeds.numel()))
    assert len(loader) == -(-seeds.numel() // 7)


def test_input_forms_and_all_neighbours():
    data = random_data()
    ids = torch.tensor([5, 9, 2])
    b = next(iter(NeighborLoader(data, [-1], input_nodes=ids, batch_size=3)))
    assert b.n_id[:3].tolist() == [5, 9, 2]
    for i, s in enumerate(ids.tolist()):
        got = sorted(b.e_id[b.edge_index[1] == i].tolist())
        assert got == sorted((data.edge_index[1] == s).nonzero().view(-1).tolist())
    b2 = next(iter(NeighborLoader(data, [2], input_nodes=(None, ids), batch_size=3)))
    assert b2.n_id[:3].tolist() == [5, 9, 2]
    assert len(NeighborLoader(data, [2], batch_size=10)) == 6  # default: every node
    with pytest.raises(ValueError, match="input_nodes"):
        NeighborLoader(data, [2], input_nodes=torch.tensor([60]))
    with pytest.raises(ValueError, match="input_nodes mask"):
        NeighborLoader(data, [2], input_nodes=torch.ones(5, dtype=torch.bool))
    with pytest.raises(ValueError, match="time_attr"):
        NeighborLoader(data, [2], input_time=torch.zeros(60))


def test_without_replacement_no_duplicates_and_with_replacement_exact_k():
    data = random_data(num_nodes=30, num_edges=600, seed=3)
    data.edge_index = torch.unique(data.edge_index, dim=1)
    data.edge_attr = None
    b = next(iter(NeighborLoader(data, [5, 4], batch_size=30)))
    pairs = b.edge_index[0] * 1000 + b.edge_index[1]
    assert pairs.unique().numel() == pairs.numel()
    b = next(iter(NeighborLoader(data, [5], batch_size=30, replace=True)))
    deg = torch.bincount(data.edge_index[1], minlength=30)
    counts = torch.bincount(b.edge_index[1], minlength=b.n_id.numel())[:30]
    assert torch.equal(counts, torch.where(deg[b.n_id[:30]] > 0, 5, 0))


def test_induced_equals_brute_force():
    data = random_data(seed=4)
    b = next(iter(NeighborLoader(data, [2, 2], batch_size=4, subgraph_type="induced")))
    nodes = set(b.n_id.tolist())
    ei = data.edge_index
    expected = {e for e in range(ei.size(1)) if int(ei[0, e]) in nodes and int(ei[1, e]) in nodes}
    assert set(b.e_id.tolist()) == expected and b.e_id.numel() == len(expected)
    assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, ei)


def test_bidirectional_edges_exist_or_reverse():
    data = random_data(seed=5)
    b = next(iter(NeighborLoader(data, [3, 2], batch_size=5, subgraph_type="bidirectional")))
    edges = set(zip(data.edge_index[0].tolist(), data.edge_index[1].tolist()))
    src, dst = b.n_id[b.edge_index]
    for s, d in zip(src.tolist(), dst.tolist()):
        assert (s, d) in edges or (d, s) in edges
    pairs = set(zip(b.edge_index[0].tolist(), b.edge_index[1].tolist()))
    assert all((d, s) in pairs for s, d in pairs)


def test_disjoint_trees():
    data = random_data(seed=6)
    b = next(iter(NeighborLoader(data, [3, 3], input_nodes=torch.tensor([1, 1, 4]), batch_size=3, disjoint=True)))
    assert b.batch[:3].tolist() == [0, 1, 2]
    assert torch.equal(b.batch[b.edge_index[0]], b.batch[b.edge_index[1]])
    key = b.batch * 60 + b.n_id
    assert key.unique().numel() == key.numel()
    assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)


@pytest.mark.parametrize("strategy", ["uniform", "last"])
def test_temporal_node_time_never_future(strategy):
    data = random_data(seed=7)
    data.time = torch.randint(0, 50, (60,), generator=torch.Generator().manual_seed(2))
    seeds = torch.arange(0, 60, 4)
    input_time = data.time[seeds] + 3
    loader = NeighborLoader(data, [3, 2], input_nodes=seeds, input_time=input_time, time_attr="time",
                            temporal_strategy=strategy, batch_size=len(seeds))
    b = next(iter(loader))
    assert b.batch is not None  # temporal sampling is disjoint
    assert bool((data.time[b.n_id] <= input_time[b.batch]).all())
    if strategy == "last":  # hop 1: the 3 most recent valid neighbours (by time)
        ei = data.edge_index
        for i, s in enumerate(seeds.tolist()):
            valid = (ei[1] == s) & (data.time[ei[0]] <= input_time[i])
            times = sorted(data.time[ei[0, valid]].tolist(), reverse=True)[:3]
            got = b.edge_index[0][:b.num_sampled_edges[0]][b.edge_index[1][:b.num_sampled_edges[0]] == i]
            assert sorted(data.time[b.n_id[got]].tolist(), reverse=True) == times


def test_temporal_edge_time():
    data = random_data(seed=8)
    data.edge_time = torch.randint(0, 100, (500,), generator=torch.Generator().manual_seed(3))
    seeds = torch.arange(10)
    t = torch.full((10,), 40)
    b = next(iter(NeighborLoader(data, [4, 4], input_nodes=seeds, input_time=t, time_attr="edge_time", batch_size=10)))
    assert b.e_id.numel() > 0
    assert bool((data.edge_time[b.e_id] <= 40).all())
    assert torch.equal(b.edge_time, data.edge_time[b.e_id])
    with pytest.raises(ValueError, match="input_time"):
        NeighborLoader(data, [2], time_attr="edge_time")


def test_weight_attr_zero_never_sampled():
    data = random_data(seed=9)
    data.edge_weight = (torch.arange(500) % 2).float()
    b = next(iter(NeighborLoader(data, [5, 5], weight_attr="edge_weight", batch_size=20)))
    assert bool((data.edge_weight[b.e_id] > 0).all())
    with pytest.raises(ValueError, match="weight_attr"):
        NeighborLoader(data, [2], weight_attr="nope")


def test_workers_reproduce_in_process_batches():
    data = random_data(seed=10)
    kw = dict(num_neighbors=[3, 2], batch_size=8, shuffle=True)
    torch.manual_seed(0)
    ref = [(b.n_id, b.e_id) for b in NeighborLoader(data, **kw)]
    loader = NeighborLoader(data, num_workers=2, persistent_workers=True, filter_per_worker=True, **kw)
    for _ in range(2):  # persistent workers: the second epoch reproduces as well
        torch.manual_seed(0)
        got = [(b.n_id, b.e_id) for b in loader]
        assert len(got) == len(ref)
        assert all(torch.equal(a[0], c[0]) and torch.equal(a[1], c[1]) for a, c in zip(ref, got))
    torch.manual_seed(1)
    other = [b.n_id for b in NeighborLoader(data, **kw)]
    assert not all(torch.equal(a[0], c) for a, c in zip(ref, other))


def test_transform_and_sampler_output_transform():
    data = random_data(seed=11)
    seen = []

    def tso(out):
        seen.append(out.n_id.numel())
        return out

    loader = NeighborLoader(data, [2], batch_size=10, transform=lambda d: Data(n=d.n_id.numel()),
                            transform_sampler_output=tso)
    b = next(iter(loader))
    assert b.n == seen[0]


class EgoSampler:
    """A third-party sampler: each seed with its in-neighbours (all of them), directional."""

    def __init__(self, data, num_neighbors=None, **options):
        self.edge_index = data.edge_index

    def sample_from_nodes(self, inputs):
        from geode_sampler import SamplerOutput

        ei = self.edge_index
        mask = torch.isin(ei[1], inputs.node)
        e_id = mask.nonzero().view(-1)
        n_id = torch.cat([inputs.node, ei[0, e_id][~torch.isin(ei[0, e_id], inputs.node)].unique()])
        local = {int(v): i for i, v in reversed(list(enumerate(n_id.tolist())))}
        edge_index = torch.tensor([[local[int(v)] for v in ei[0, e_id]], [local[int(v)] for v in ei[1, e_id]]],
                                  dtype=torch.long).view(2, -1)
        return SamplerOutput(n_id, e_id, edge_index, [inputs.node.numel(), n_id.numel() - inputs.node.numel()],
                             [e_id.numel()], metadata={"input_id": inputs.input_id})


def test_third_party_sampler_by_name_class_and_object():
    from geode_core.plugins import hookimpl, register_plugin

    class Plugin:
        @staticmethod
        @hookimpl
        def geode_register_samplers(registry):
            registry.add("ego_test", EgoSampler)

    register_plugin(Plugin(), "geode-ego-test")
    data = random_data(seed=12)
    for sampler in ("ego_test", EgoSampler, EgoSampler(data)):
        b = next(iter(NeighborLoader(data, [1], batch_size=4, sampler=sampler)))
        assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)
        assert b.e_id.numel() == int(torch.isin(data.edge_index[1], torch.arange(4)).sum())
    with pytest.raises(TypeError, match="sampler"):
        NeighborLoader(data, [1], sampler=42)


def test_node_loader_with_prebuilt_sampler_and_fixed_args():
    data = random_data(seed=13)
    sampler = NeighborSampler(data, [2])
    b = next(iter(NodeLoader(data, sampler, batch_size=5)))
    assert b.batch_size == 5
    with pytest.raises(TypeError, match="collate_fn"):
        NodeLoader(data, sampler, collate_fn=lambda x: x)


def test_persistent_workers_do_not_accumulate_shared_memory_handles():
    import gc
    import os

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    data = random_data(seed=14)
    loader = NeighborLoader(data, [3, 2], batch_size=6, num_workers=2, persistent_workers=True,
                            filter_per_worker=True)
    counts = []
    for _ in range(3):
        for batch in loader:
            assert batch.x.size(0) == batch.n_id.numel()
        del batch
        gc.collect()
        counts.append(len(os.listdir("/proc/self/fd")))
    assert counts[2] <= counts[0], counts
