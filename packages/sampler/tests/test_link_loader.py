import math

import pytest
import torch
from sampler_checks import assert_ids_map_back, random_data
from test_hetero_loader import W, hetero

from geode_sampler import LinkNeighborLoader, NegativeSampling


def test_positive_edges_map_back_without_negatives():
    data = random_data(seed=20)
    label_index = data.edge_index[:, :40]
    label = torch.randint(0, 3, (40,))
    loader = LinkNeighborLoader(data, [3, 2], edge_label_index=label_index, edge_label=label, batch_size=16)
    for b in loader:
        assert torch.equal(b.n_id[b.edge_label_index], label_index[:, b.input_id])
        assert torch.equal(b.edge_label, label[b.input_id])
        assert_ids_map_back(b.edge_index, b.n_id, b.n_id, b.e_id, data.edge_index)
        assert b.n_id.unique().numel() == b.n_id.numel()


@pytest.mark.parametrize("amount", [1, 2.5])
def test_binary_negatives(amount):
    data = random_data(seed=21)
    label = torch.randint(0, 2, (500,))
    loader = LinkNeighborLoader(data, [2], edge_label=label, batch_size=10,
                                neg_sampling=NegativeSampling("binary", amount))
    b = next(iter(loader))
    num_neg = math.ceil(10 * amount)
    assert b.edge_label_index.shape == (2, 10 + num_neg)
    assert torch.equal(b.edge_label[:10], label[b.input_id] + 1)
    assert bool((b.edge_label[10:] == 0).all())
    assert torch.equal(b.n_id[b.edge_label_index[:, :10]], data.edge_index[:, b.input_id])
    # negatives are sampled nodes (seeds) of the batch
    assert int(b.edge_label_index.max()) < b.num_sampled_nodes[0]


def test_triplet_negatives():
    data = random_data(seed=22)
    loader = LinkNeighborLoader(data, [2, 2], batch_size=8, neg_sampling=dict(mode="triplet", amount=3))
    b = next(iter(loader))
    assert b.src_index.shape == (8,) and b.dst_pos_index.shape == (8,) and b.dst_neg_index.shape == (8, 3)
    assert torch.equal(b.n_id[b.src_index], data.edge_index[0, b.input_id])
    assert torch.equal(b.n_id[b.dst_pos_index], data.edge_index[1, b.input_id])
    assert int(b.dst_neg_index.max()) < b.num_sampled_nodes[0]
    with pytest.raises(ValueError, match="edge_label"):
        LinkNeighborLoader(data, [2], edge_label=torch.zeros(500), neg_sampling="triplet")
    with pytest.raises(ValueError, match="integer"):
        NegativeSampling("triplet", 1.5)
    with pytest.raises(ValueError, match="mode"):
        NegativeSampling("nope")


def test_weighted_negatives_only_hit_positive_weight():
    data = random_data(seed=23)
    dst_weight = (torch.arange(60) < 5).float()
    neg = NegativeSampling("triplet", 4, dst_weight=dst_weight)
    b = next(iter(LinkNeighborLoader(data, [1], batch_size=10, neg_sampling=neg)))
    assert bool((b.n_id[b.dst_neg_index] < 5).all())


def test_temporal_links_never_future_disjoint_trees():
    data = random_data(seed=24)
    data.time = torch.randint(0, 50, (60,), generator=torch.Generator().manual_seed(1))
    label_time = torch.randint(20, 50, (500,), generator=torch.Generator().manual_seed(2))
    loader = LinkNeighborLoader(data, [3, 3], edge_label_time=label_time, time_attr="time", batch_size=12,
                                neg_sampling="binary")
    b = next(iter(loader))
    t = b.edge_label_time
    assert torch.equal(t[:12], label_time[b.input_id])
    # disjoint: tree i is src of label edge i, tree E + i its dst
    tree_time = torch.cat([t, t])
    assert b.batch[:48].tolist() == list(range(48))
    sampled = slice(b.num_sampled_nodes[0], None)  # seeds themselves are not filtered
    assert bool((data.time[b.n_id[sampled]] <= tree_time[b.batch[sampled]]).all())
    assert torch.equal(b.batch[b.edge_index[0]], b.batch[b.edge_index[1]])
    with pytest.raises(ValueError, match="edge_label_time"):
        LinkNeighborLoader(data, [1], time_attr="time")


def test_hetero_links_binary_and_triplet():
    h = hetero(30)
    loader = LinkNeighborLoader(h, [2, 2], edge_label_index=(W, h[W].edge_index[:, :30]), batch_size=10,
                                neg_sampling="binary")
    b = next(iter(loader))
    idx = b[W].edge_label_index
    assert torch.equal(b["author"].n_id[idx[0, :10]], h[W].edge_index[0, b[W].input_id])
    assert torch.equal(b["paper"].n_id[idx[1, :10]], h[W].edge_index[1, b[W].input_id])
    for et in h.edge_types:
        assert_ids_map_back(b[et].edge_index, b[et[0]].n_id, b[et[2]].n_id, b[et].e_id, h[et].edge_index)
    b = next(iter(LinkNeighborLoader(h, [2], edge_label_index=W, batch_size=10, neg_sampling="triplet")))
    assert torch.equal(b["author"].n_id[b["author"].src_index], h[W].edge_index[0, b[W].input_id])
    assert torch.equal(b["paper"].n_id[b["paper"].dst_pos_index], h[W].edge_index[1, b[W].input_id])
    assert b["paper"].dst_neg_index.shape == (10,)


def test_workers_reproduce_link_batches():
    data = random_data(seed=25)
    kw = dict(num_neighbors=[2], batch_size=50, shuffle=True, neg_sampling="binary")
    torch.manual_seed(3)
    ref = [b.edge_label_index for b in LinkNeighborLoader(data, **kw)]
    torch.manual_seed(3)
    got = [b.edge_label_index for b in LinkNeighborLoader(data, num_workers=2, **kw)]
    assert len(ref) == len(got) and all(torch.equal(a, c) for a, c in zip(ref, got))
