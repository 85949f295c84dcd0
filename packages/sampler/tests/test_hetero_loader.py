import pytest
import torch
from sampler_checks import assert_fanout, assert_ids_map_back

from geode_core.data import HeteroData
from geode_sampler import NeighborLoader

W, R, C = ("author", "writes", "paper"), ("paper", "rev_writes", "author"), ("paper", "cites", "paper")


def hetero(seed=0):
    g = torch.Generator().manual_seed(seed)
    h = HeteroData()
    h["paper"].x = torch.randn(50, 4, generator=g)
    h["paper"].year = torch.randint(2000, 2020, (50,), generator=g)
    h["author"].x = torch.randn(30, 3, generator=g)
    h[W].edge_index = torch.stack([torch.randint(0, 30, (200,), generator=g), torch.randint(0, 50, (200,), generator=g)])
    h[W].edge_attr = torch.randn(200, 2, generator=g)
    h[R].edge_index = h[W].edge_index.flip(0)
    h[C].edge_index = torch.randint(0, 50, (2, 300), generator=g)
    return h


def test_every_edge_type_exists_maps_back_and_respects_fanout():
    h = hetero()
    mask = torch.arange(50) % 2 == 0
    loader = NeighborLoader(h, [3, 2], input_nodes=("paper", mask), batch_size=8)
    for b in loader:
        assert torch.equal(b["paper"].n_id[:b["paper"].batch_size], mask.nonzero().view(-1)[b["paper"].input_id])
        for et in h.edge_types:
            src, _, dst = et
            assert_ids_map_back(b[et].edge_index, b[src].n_id, b[dst].n_id, b[et].e_id, h[et].edge_index)
        for nt in h.node_types:
            assert torch.equal(b[nt].x, h[nt].x[b[nt].n_id])
            assert b[nt].n_id.unique().numel() == b[nt].n_id.numel()
            assert sum(b[nt].num_sampled_nodes) == b[nt].n_id.numel()
        assert torch.equal(b[W].edge_attr, h[W].edge_attr[b[W].e_id])
        # Fan-out per edge type: each dst node new in hop h gets min(k, in-degree of that type).
        for et in h.edge_types:
            src, _, dst = et
            assert_fanout(b[et].edge_index, b[dst].num_sampled_nodes, b[et].num_sampled_edges,
                          b[dst].n_id, h[et].edge_index, [3, 2], h[dst].num_nodes)
    counts = b.collect("num_sampled_nodes")
    assert set(counts) == {"paper", "author"}


def test_dict_num_neighbors_leaves_other_types_empty():
    h = hetero(1)
    b = next(iter(NeighborLoader(h, {W: [4, 0], C: [2, 2]}, input_nodes="paper", batch_size=6)))
    assert b[R].edge_index.size(1) == 0
    assert b[W].num_sampled_edges[1] == 0
    assert b[C].num_sampled_edges[0] > 0
    with pytest.raises(ValueError, match="edge types"):
        NeighborLoader(h, {("paper", "x", "paper"): [1]}, input_nodes="paper")
    with pytest.raises(ValueError, match="node type"):
        NeighborLoader(h, [1], input_nodes=("venue", None))
    with pytest.raises(ValueError, match="HeteroData"):
        NeighborLoader(h, [1])


def test_hetero_disjoint_temporal_never_future():
    h = hetero(2)
    h["author"].year = torch.randint(2000, 2020, (30,), generator=torch.Generator().manual_seed(5))
    seeds = torch.arange(12)
    loader = NeighborLoader(h, [3, 3], input_nodes=("paper", seeds), time_attr="year", batch_size=12)
    b = next(iter(loader))
    root = h["paper"].year[seeds]
    for nt in h.node_types:
        assert bool((h[nt].year[b[nt].n_id] <= root[b[nt].batch]).all())
    for et in h.edge_types:
        src, _, dst = et
        assert torch.equal(b[src].batch[b[et].edge_index[0]], b[dst].batch[b[et].edge_index[1]])
    with pytest.raises(ValueError, match="lack it"):
        h2 = hetero(3)
        NeighborLoader(h2, [1], input_nodes="paper", time_attr="year")


def test_hetero_induced_equals_brute_force():
    h = hetero(4)
    b = next(iter(NeighborLoader(h, [2, 2], input_nodes="paper", batch_size=3, subgraph_type="induced")))
    for et in h.edge_types:
        src, _, dst = et
        s_nodes, d_nodes = set(b[src].n_id.tolist()), set(b[dst].n_id.tolist())
        ei = h[et].edge_index
        expected = {e for e in range(ei.size(1)) if int(ei[0, e]) in s_nodes and int(ei[1, e]) in d_nodes}
        assert set(b[et].e_id.tolist()) == expected
        assert_ids_map_back(b[et].edge_index, b[src].n_id, b[dst].n_id, b[et].e_id, ei)


def test_hetero_edge_time_and_temporal_links():
    h = hetero(5)
    g = torch.Generator().manual_seed(6)
    for et in h.edge_types:
        h[et].t = torch.randint(0, 100, (h[et].num_edges,), generator=g)
    seeds = torch.arange(10)
    b = next(iter(NeighborLoader(h, [4, 4], input_nodes=("paper", seeds), input_time=torch.full((10,), 50),
                                 time_attr="t", batch_size=10)))
    assert sum(b[et].e_id.numel() for et in h.edge_types) > 0
    for et in h.edge_types:
        assert bool((h[et].t[b[et].e_id] <= 50).all())
        assert torch.equal(b[et].t, h[et].t[b[et].e_id])
    from geode_sampler import LinkNeighborLoader

    label_time = torch.randint(20, 80, (200,), generator=g)
    b = next(iter(LinkNeighborLoader(h, [3, 3], edge_label_index=W, edge_label_time=label_time, time_attr="t",
                                     batch_size=8)))
    tree_time = torch.cat([label_time[b[W].input_id]] * 2)  # trees: 8 sources, then 8 targets
    for et in h.edge_types:
        dst = et[2]
        assert bool((h[et].t[b[et].e_id] <= tree_time[b[dst].batch[b[et].edge_index[1]]]).all())


def test_hetero_bidirectional_within_same_type_edges():
    h = hetero(7)
    b = next(iter(NeighborLoader(h, [3, 2], input_nodes="paper", batch_size=5, subgraph_type="bidirectional")))
    pairs = set(zip(b[C].edge_index[0].tolist(), b[C].edge_index[1].tolist()))
    assert pairs and all((d, s) in pairs for s, d in pairs)
    edges = set(zip(h[C].edge_index[0].tolist(), h[C].edge_index[1].tolist()))
    src, dst = b["paper"].n_id[b[C].edge_index]
    assert all((s, d) in edges or (d, s) in edges for s, d in zip(src.tolist(), dst.tolist()))
    assert_ids_map_back(b[W].edge_index, b["author"].n_id, b["paper"].n_id, b[W].e_id, h[W].edge_index)
