"""FakeDataset, FakeHeteroDataset, StochasticBlockModelDataset and the SBM generator."""

import pytest
import torch

from geode_core.data import HeteroData
from geode_core.datasets import FakeDataset, FakeHeteroDataset, StochasticBlockModelDataset
from geode_core.utils import stochastic_blockmodel_graph


def test_fake_dataset_node_task():
    torch.manual_seed(0)
    ds = FakeDataset(avg_num_nodes=200, avg_degree=6, num_channels=8, edge_dim=3, num_classes=4,
                     global_features=5)
    assert len(ds) == 1 and ds.num_classes == 4
    d = ds[0]
    assert d.num_nodes == 200 and d.x.shape == (200, 8) and d.y.shape == (200,)
    assert d.edge_attr.shape == (d.num_edges, 3) and d.global_features.shape == (5,)
    assert d.validate() and not d.has_self_loops()
    assert symmetric_pairs(d.edge_index)
    assert 4 <= d.num_edges / 200 <= 6.5
    # features carry the label: class means are ordered like the labels
    means = torch.stack([d.x[d.y == c].mean() for c in range(4)])
    assert torch.equal(torch.argsort(means), torch.arange(4))


def symmetric_pairs(ei):
    return {tuple(e) for e in ei.t().tolist()} == {tuple(e) for e in ei.flip(0).t().tolist()}


def test_fake_dataset_graph_task_varies_sizes():
    torch.manual_seed(1)
    ds = FakeDataset(num_graphs=12, avg_num_nodes=20, edge_dim=1, is_undirected=False)
    sizes = [g.num_nodes for g in ds]
    assert all(10 <= s <= 30 for s in sizes) and len(set(sizes)) > 1
    assert all(g.y.shape == (1,) and "edge_weight" in g for g in ds)
    with pytest.raises(ValueError, match="task must be"):
        FakeDataset(task="edge")


def test_fake_hetero_dataset():
    torch.manual_seed(2)
    ds = FakeHeteroDataset(num_node_types=2, num_edge_types=3, avg_num_nodes=30, avg_degree=3,
                           avg_num_channels=8, edge_dim=2, num_classes=3)
    h = ds[0]
    assert isinstance(h, HeteroData) and h.node_types == ["v0", "v1"] and len(h.edge_types) == 3
    assert h["v0"].y.shape == (h["v0"].num_nodes,) and int(h["v0"].y.max()) < 3
    for et in h.edge_types:
        assert h[et].edge_attr.shape == (h[et].num_edges, 2)
    assert h.validate() and ds.num_classes == 3
    graphs = FakeHeteroDataset(num_graphs=3, avg_num_nodes=10)
    assert all(g.y.shape == (1,) for g in graphs)


def test_sbm_generator_edge_density_per_block():
    g = torch.Generator().manual_seed(3)
    sizes, probs = [60, 40], [[0.5, 0.05], [0.05, 0.3]]
    ei = stochastic_blockmodel_graph(sizes, probs, generator=g)
    block = torch.tensor([0] * 60 + [1] * 40)
    A = torch.zeros(100, 100)
    A[ei[0], ei[1]] = 1
    assert torch.equal(A, A.t()) and A.diagonal().eq(0).all() and int(A.sum()) == ei.size(1)
    for a in range(2):
        for b in range(2):
            sub = A[block == a][:, block == b]
            pairs = sub.numel() - (sub.size(0) if a == b else 0)
            assert abs(float(sub.sum()) / pairs - probs[a][b]) < 0.05
    directed = stochastic_blockmodel_graph(sizes, [[0.5, 0.0], [0.9, 0.3]], directed=True)
    cross = block[directed[0]] != block[directed[1]]
    assert bool((block[directed[0, cross]] == 1).all())
    with pytest.raises(ValueError, match="symmetric"):
        stochastic_blockmodel_graph(sizes, [[0.5, 0.0], [0.9, 0.3]])


def test_sbm_dataset_processes_once(tmp_path):
    torch.manual_seed(4)
    ds = StochasticBlockModelDataset(tmp_path, [10, 15], [[0.6, 0.1], [0.1, 0.4]], num_graphs=2,
                                     num_channels=4, log=False)
    assert len(ds) == 2 and ds.num_classes == 2 and ds[0].x.shape == (25, 4)
    assert ds[0].y.tolist() == [0] * 10 + [1] * 15 and ds[0].is_undirected()
    again = StochasticBlockModelDataset(tmp_path, [10, 15], [[0.6, 0.1], [0.1, 0.4]], num_graphs=2,
                                        num_channels=4, log=False)
    assert torch.equal(again[1].edge_index, ds[1].edge_index)  # read back, not regenerated
    other = StochasticBlockModelDataset(tmp_path, [5, 5], [[1.0, 0.0], [0.0, 1.0]], log=False)
    assert other[0].num_edges == 2 * (10 + 10)
