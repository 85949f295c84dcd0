"""NeighborLoader / LinkNeighborLoader over (FeatureStore, GraphStore) pairs match Data input."""

import torch
from sampler_checks import assert_ids_map_back, random_data
from test_hetero_loader import W, hetero

from geode_core.data import InMemoryFeatureStore, InMemoryGraphStore
from geode_sampler import LinkNeighborLoader, NeighborLoader


def stores_of(data):
    fs, gs = InMemoryFeatureStore(), InMemoryGraphStore()
    n = data.num_nodes
    for key in ("x", "y", "time"):
        if key in data:
            fs.put_tensor(data[key], group_name=None, attr_name=key, index=None)
    gs.put_edge_index((data.edge_index[0], data.edge_index[1]), edge_type=None, layout="coo", size=(n, n))
    return fs, gs


def hetero_stores_of(h):
    fs, gs = InMemoryFeatureStore(), InMemoryGraphStore()
    for nt in h.node_types:
        for key, value in h[nt].items():
            fs.put_tensor(value, group_name=nt, attr_name=key, index=None)
    for et in h.edge_types:
        ei = h[et].edge_index
        gs.put_edge_index((ei[0], ei[1]), edge_type=et, layout="coo",
                          size=(h[et[0]].num_nodes, h[et[2]].num_nodes))
        if "edge_attr" in h[et]:
            fs.put_tensor(h[et].edge_attr, group_name=et, attr_name="edge_attr", index=None)
    return fs, gs


def test_homogeneous_store_matches_data():
    data = random_data(seed=60)
    data.edge_attr = None
    pair = stores_of(data)
    kw = dict(num_neighbors=[3, 2], batch_size=9, shuffle=True, input_nodes=torch.arange(0, 60, 2))
    torch.manual_seed(0)
    ref = list(NeighborLoader(data, **kw))
    torch.manual_seed(0)
    got = list(NeighborLoader(pair, **kw))
    assert len(ref) == len(got)
    for a, b in zip(ref, got):
        for key in ("n_id", "e_id", "edge_index", "x", "y", "input_id"):
            assert torch.equal(a[key], b[key]), key
        assert a.batch_size == b.batch_size and a.num_sampled_nodes == b.num_sampled_nodes
        assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)


def test_store_temporal_and_links():
    data = random_data(seed=61)
    data.edge_attr = None
    data.time = torch.randint(0, 30, (60,), generator=torch.Generator().manual_seed(0))
    pair = stores_of(data)
    b = next(iter(NeighborLoader(pair, [3, 3], time_attr="time", batch_size=10)))
    sampled = slice(b.num_sampled_nodes[0], None)
    assert bool((data.time[b.n_id[sampled]] <= data.time[b.n_id[:10]][b.batch[sampled]]).all())
    b = next(iter(LinkNeighborLoader(pair, [2], batch_size=8, neg_sampling="binary")))
    assert torch.equal(b.n_id[b.edge_label_index[:, :8]], data.edge_index[:, b.input_id])
    assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)


def test_hetero_store_matches_hetero_data():
    h = hetero(62)
    pair = hetero_stores_of(h)
    kw = dict(num_neighbors=[3, 2], batch_size=8, input_nodes=("paper", torch.arange(20)))
    torch.manual_seed(0)
    ref = next(iter(NeighborLoader(h, **kw)))
    torch.manual_seed(0)
    got = next(iter(NeighborLoader(pair, **kw)))
    for nt in h.node_types:
        assert torch.equal(ref[nt].n_id, got[nt].n_id) and torch.equal(ref[nt].x, got[nt].x)
    for et in h.edge_types:
        assert torch.equal(ref[et].e_id, got[et].e_id)
        assert torch.equal(ref[et].edge_index, got[et].edge_index)
    assert torch.equal(got[W].edge_attr, h[W].edge_attr[got[W].e_id])
    b = next(iter(LinkNeighborLoader(pair, [2], edge_label_index=W, batch_size=6, neg_sampling="triplet")))
    assert torch.equal(b["author"].n_id[b["author"].src_index], h[W].edge_index[0, b[W].input_id])
