import sys

import pytest
import torch
from sampler_checks import assert_ids_map_back, random_data
from scipy.stats import chisquare

from geode_sampler import (
    CachedLoader,
    ClusterData,
    ClusterLoader,
    GraphSAINTEdgeSampler,
    GraphSAINTNodeSampler,
    GraphSAINTRandomWalkSampler,
    HGTLoader,
    ImbalancedSampler,
    NeighborLoader,
    PrefetchLoader,
    RandomNodeLoader,
    ShaDowKHopSampler,
)


def brute_induced(ei, nodes):
    nodes = set(nodes.tolist())
    return {e for e in range(ei.size(1)) if int(ei[0, e]) in nodes and int(ei[1, e]) in nodes}


def check_induced(batch, data):
    assert set(batch.e_id.tolist()) == brute_induced(data.edge_index, batch.n_id)
    assert batch.e_id.numel() == len(set(batch.e_id.tolist()))
    assert_ids_map_back(batch.edge_index, batch.n_id, batch.n_id, batch.e_id, data.edge_index)
    assert torch.equal(batch.x, data.x[batch.n_id])


def test_cluster_data_partitions_and_loader_is_induced(tmp_path):
    pytest.importorskip("pymetis")
    data = random_data(num_nodes=80, num_edges=400, seed=40)
    cd = ClusterData(data, num_parts=4, save_dir=str(tmp_path), log=False)
    ptr = cd.partition.partptr
    assert ptr[0] == 0 and ptr[-1] == 80 and len(cd) == 4
    assert sorted(cd.partition.node_perm.tolist()) == list(range(80))
    for i in range(4):
        check_induced(cd[i], data)
    batches = list(ClusterLoader(cd, batch_size=2, shuffle=True))
    assert len(batches) == 2
    assert sorted(torch.cat([b.n_id for b in batches]).tolist()) == list(range(80))
    for b in batches:
        check_induced(b, data)
    again = ClusterData(data, num_parts=4, save_dir=str(tmp_path), log=False)  # reloaded from disk
    assert torch.equal(again.partition.node_perm, cd.partition.node_perm)


def test_cluster_data_without_pymetis_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymetis", None)
    with pytest.raises(ImportError, match=r"geode-sampler\[metis\]"):
        ClusterData(random_data(), num_parts=3, log=False)
    with pytest.raises(ValueError, match="num_parts"):
        ClusterData(random_data(), num_parts=0)


@pytest.mark.parametrize("cls, kw", [(GraphSAINTNodeSampler, {}), (GraphSAINTEdgeSampler, {}),
                                     (GraphSAINTRandomWalkSampler, {"walk_length": 2})])
def test_graph_saint_batches_are_induced_with_norms(cls, kw):
    data = random_data(num_nodes=50, num_edges=300, seed=41)
    torch.manual_seed(0)
    loader = cls(data, batch_size=10, num_steps=3, sample_coverage=5, log=False, **kw)
    batches = list(loader)
    assert len(batches) == 3
    for b in batches:
        check_induced(b, data)
        assert torch.equal(b.node_norm, loader.norms[0][b.n_id])
        assert torch.equal(b.edge_norm, loader.norms[1][b.e_id])
        assert bool((b.node_norm > 0).all())


def test_graph_saint_node_norm_makes_node_sums_unbiased():
    data = random_data(num_nodes=40, num_edges=400, seed=42)
    f = torch.rand(40, generator=torch.Generator().manual_seed(1))
    torch.manual_seed(2)
    loader = GraphSAINTNodeSampler(data, batch_size=8, num_steps=1, sample_coverage=100, log=False)
    node_norm = loader.norms[0]
    seen = node_norm < 1e3  # nodes never sampled (in-degree 0) cannot be estimated
    est = torch.stack([(node_norm[n] * f[n] * seen[n]).sum() for n in (loader.sample_nodes() for _ in range(1000))])
    target = (f * seen).sum() / 40
    assert abs(float(est.mean()) - float(target)) < 0.08 * float(target)


def test_random_walk_follows_out_edges():
    chain = torch.stack([torch.arange(9), torch.arange(1, 10)])  # 0 -> 1 -> ... -> 9
    data = random_data(num_nodes=10, num_edges=1)
    data.edge_index, data.edge_attr = chain, torch.zeros(9, 2)
    loader = GraphSAINTRandomWalkSampler(data, batch_size=1, walk_length=3, num_steps=20, log=False)
    for _ in range(20):
        nodes = loader.sample_nodes().tolist()
        root = nodes[0]
        assert nodes == list(range(root, min(root + 4, 10)))


def test_shadow_subgraphs_are_induced_per_root():
    data = random_data(num_nodes=40, num_edges=300, seed=43)
    seeds = torch.tensor([3, 3, 17, 25])
    b = next(iter(ShaDowKHopSampler(data, depth=2, num_neighbors=3, node_idx=seeds, batch_size=4)))
    assert torch.equal(b.n_id[b.root_n_id], seeds)
    assert torch.equal(b.y, data.y[seeds])
    assert b.ptr.tolist() == [0, *torch.bincount(b.batch, minlength=4).cumsum(0).tolist()]
    assert bool((b.batch[:-1] <= b.batch[1:]).all())
    assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)
    for t in range(4):
        nodes = b.n_id[b.batch == t]
        assert nodes.unique().numel() == nodes.numel()
        in_tree = (b.batch[b.edge_index[0]] == t) & (b.batch[b.edge_index[1]] == t)
        assert set(b.e_id[in_tree].tolist()) == brute_induced(data.edge_index, nodes)
    assert torch.equal(b.batch[b.edge_index[0]], b.batch[b.edge_index[1]])


def test_hgt_loader_budget_sampling():
    from test_hetero_loader import hetero

    h = hetero(44)
    loader = HGTLoader(h, {"paper": [4, 3], "author": [5, 2]}, input_nodes=("paper", torch.arange(6)), batch_size=6)
    b = next(iter(loader))
    assert b["paper"].n_id[:6].tolist() == list(range(6))
    assert all(c <= k for c, k in zip(b["paper"].num_sampled_nodes[1:], [4, 3]))
    assert all(c <= k for c, k in zip(b["author"].num_sampled_nodes[1:], [5, 2]))
    for nt in h.node_types:
        assert b[nt].n_id.unique().numel() == b[nt].n_id.numel()
    for et in h.edge_types:
        src, _, dst = et
        ei = h[et].edge_index
        s_nodes, d_nodes = set(b[src].n_id.tolist()), set(b[dst].n_id.tolist())
        expected = {e for e in range(ei.size(1)) if int(ei[0, e]) in s_nodes and int(ei[1, e]) in d_nodes}
        assert set(b[et].e_id.tolist()) == expected
        assert_ids_map_back(b[et].edge_index, b[src].n_id, b[dst].n_id, b[et].e_id, ei)
    # every non-seed node is an in-neighbour of a node sampled before it
    for nt in h.node_types:
        start = 6 if nt == "paper" else 0
        for pos in range(start, b[nt].n_id.numel()):
            v = int(b[nt].n_id[pos])
            ok = False
            for (src, _, dst), store in ((et, h[et]) for et in h.edge_types):
                if src != nt:
                    continue
                targets = set(store.edge_index[1, store.edge_index[0] == v].tolist())
                ok |= bool(targets & set(b[dst].n_id.tolist()))
            assert ok


def test_random_node_loader_covers_every_node_once():
    data = random_data(num_nodes=50, num_edges=300, seed=45)
    loader = RandomNodeLoader(data, num_parts=4)
    batches = list(loader)
    assert len(batches) == 4
    assert sorted(torch.cat([b.n_id for b in batches]).tolist()) == list(range(50))
    for b in batches:
        check_induced(b, data)


def test_imbalanced_sampler_balances_classes():
    y = torch.tensor([0] * 90 + [1] * 9 + [2] * 1)
    torch.manual_seed(0)
    drawn = torch.tensor(list(ImbalancedSampler(y, num_samples=6000)))
    counts = torch.bincount(y[drawn], minlength=3).numpy()
    assert chisquare(counts).pvalue > 0.001
    data = random_data(num_nodes=60, seed=46)
    data.y = (torch.arange(60) < 6).long()
    mask = torch.arange(60) % 2 == 0
    loader = NeighborLoader(data, [2], input_nodes=mask, batch_size=10,
                            sampler=ImbalancedSampler(data, input_nodes=mask, num_samples=300))
    seeds = torch.cat([b.n_id[:b.batch_size] for b in loader])
    assert seeds.numel() == 300 and bool(mask[seeds].all())
    frac = float((data.y[seeds] == 1).float().mean())
    assert 0.35 < frac < 0.65  # 3 of 30 candidates are class 1, drawn about half the time
    with pytest.raises(ValueError, match="integer"):
        ImbalancedSampler(torch.rand(5))


def test_prefetch_cpu_passthrough_and_cached_loader_replays():
    data = random_data(seed=47)
    loader = NeighborLoader(data, [2], batch_size=20)
    pre = PrefetchLoader(loader, device="cpu")
    assert len(pre) == len(loader)
    torch.manual_seed(0)
    a = [b.n_id for b in loader]
    torch.manual_seed(0)
    c = [b.n_id for b in pre]
    assert all(torch.equal(x, y) for x, y in zip(a, c))

    calls = []

    class Counting:
        def __len__(self):
            return 3

        def __iter__(self):
            calls.append(1)
            yield from (torch.full((2,), i) for i in range(3))

    cached = CachedLoader(Counting(), transform=lambda t: t + 1)
    first, second = list(cached), list(cached)
    assert len(calls) == 1 and len(second) == 3
    assert all(torch.equal(x, y) for x, y in zip(first, second)) and first[0].tolist() == [1, 1]
    cached.clear()
    list(cached)
    assert len(calls) == 2


@pytest.mark.gpu
def test_prefetch_to_cuda():
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    data = random_data(seed=48)
    loader = NeighborLoader(data, [2], batch_size=20)
    torch.manual_seed(0)
    ref = [b.x for b in loader]
    torch.manual_seed(0)
    got = [b for b in PrefetchLoader(loader, device="cuda")]
    assert len(got) == len(ref)
    for r, b in zip(ref, got):
        assert b.x.is_cuda and b.edge_index.is_cuda and torch.equal(b.x.cpu(), r)
    cached = CachedLoader(loader, device="cuda")
    assert all(b.x.is_cuda for b in cached)
