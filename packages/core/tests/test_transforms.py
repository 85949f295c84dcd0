"""Transforms checked against dense/brute-force references."""

import pytest
import torch

from geode_core.data import Data
from geode_core.transforms import (
    AddSelfLoops,
    Compose,
    Constant,
    NormalizeFeatures,
    OneHotDegree,
    RandomNodeSplit,
    RemoveSelfLoops,
    ToUndirected,
)


def graph():
    return Data(x=torch.tensor([[1.0, 3.0], [0.0, 0.0], [2.0, 2.0]]),
                edge_index=torch.tensor([[0, 1, 2, 2], [1, 1, 0, 1]]),
                edge_attr=torch.tensor([1.0, 2.0, 3.0, 4.0]))


def test_normalize_features_rows_sum_to_one_and_input_untouched():
    d = graph()
    out = NormalizeFeatures()(d)
    assert out.x.tolist() == [[0.25, 0.75], [0.0, 0.0], [0.5, 0.5]]
    assert d.x[0, 0] == 1.0


def test_self_loop_transforms():
    d = graph()
    d.edge_weight = torch.ones(4)
    out = AddSelfLoops(fill_value=7.0)(d)
    assert out.edge_index.size(1) == 7 and out.edge_weight[-3:].tolist() == [7.0] * 3
    out = AddSelfLoops(remaining=True)(d)
    assert sorted(map(tuple, out.edge_index.t().tolist())) == \
        sorted([(0, 1), (1, 1), (2, 0), (2, 1), (0, 0), (2, 2)])
    r = RemoveSelfLoops()(graph())
    assert r.edge_index.tolist() == [[0, 2, 2], [1, 0, 1]] and r.edge_attr.tolist() == [1.0, 3.0, 4.0]


def test_to_undirected_against_dense_sum():
    d = graph()
    out = ToUndirected()(d)
    dense = torch.zeros(3, 3)
    for (i, j), w in zip(d.edge_index.t().tolist(), d.edge_attr.tolist()):
        dense[i, j] += w
        dense[j, i] += w
    rebuilt = torch.zeros(3, 3)
    rebuilt[out.edge_index[0], out.edge_index[1]] = out.edge_attr
    assert rebuilt[1, 1] == 2 * d.edge_attr[1]  # a loop is its own reverse: summed twice
    assert torch.equal(rebuilt, dense) and out.is_undirected()


def test_constant_and_one_hot_degree():
    d = graph()
    out = Compose([Constant(0.5), OneHotDegree(max_degree=2)])(d)
    out_deg = [sum(1 for s in d.edge_index[0].tolist() if s == i) for i in range(3)]
    assert out.x.shape == (3, 2 + 1 + 3)
    assert out.x[:, 2].tolist() == [0.5] * 3
    assert out.x[:, 3:].argmax(1).tolist() == out_deg
    with pytest.raises(ValueError, match="max_degree=1 but a node has degree 2"):
        OneHotDegree(1)(d)
    assert "OneHotDegree(2)" in repr(Compose([OneHotDegree(2)]))


def test_random_node_split_partitions():
    n = 100
    d = Data(x=torch.zeros(n, 1), y=torch.arange(n) % 4)
    g = torch.Generator().manual_seed(0)
    out = RandomNodeSplit(num_val=0.1, num_test=20, generator=g)(d)
    assert [int(out[m].sum()) for m in ("train_mask", "val_mask", "test_mask")] == [70, 10, 20]
    assert bool((out.train_mask.int() + out.val_mask.int() + out.test_mask.int() == 1).all())
    out = RandomNodeSplit(split="test_rest", num_train_per_class=5, num_val=10, generator=g)(d)
    assert [int((out.y[out.train_mask] == c).sum()) for c in range(4)] == [5] * 4
    assert int(out.val_mask.sum()) == 10 and int(out.test_mask.sum()) == 70
    with pytest.raises(ValueError, match="exceeds num_nodes=100"):
        RandomNodeSplit(num_val=60, num_test=60)(d)


def test_random_node_split_random_mode_and_multiple_splits():
    n = 60
    d = Data(x=torch.zeros(n, 1), y=torch.arange(n) % 3)
    g = torch.Generator().manual_seed(1)
    out = RandomNodeSplit(split="random", num_train_per_class=4, num_val=10, num_test=15, generator=g)(d)
    assert [int(out[m].sum()) for m in ("train_mask", "val_mask", "test_mask")] == [12, 10, 15]
    assert torch.bincount(out.y[out.train_mask]).tolist() == [4, 4, 4]
    assert int((out.train_mask.int() + out.val_mask.int() + out.test_mask.int()).max()) == 1
    many = RandomNodeSplit(num_splits=3, num_val=5, num_test=5, generator=g)(d)
    assert many.train_mask.shape == (n, 3) and many.val_mask.sum(0).tolist() == [5, 5, 5]
    assert not torch.equal(many.val_mask[:, 0], many.val_mask[:, 1])


def test_hetero_to_undirected_and_normalize_features():
    from geode_core.data import HeteroData

    h = HeteroData()
    h["user"].x = torch.tensor([[1.0, 3.0], [0.0, 0.0]])
    h["movie"].x = torch.tensor([[2.0, 2.0], [1.0, 0.0], [0.0, 4.0]])
    h["user", "rates", "movie"].edge_index = torch.tensor([[0, 1, 1], [2, 0, 2]])
    h["user", "rates", "movie"].edge_attr = torch.tensor([[5.0], [4.0], [3.0]])
    h["movie", "similar", "movie"].edge_index = torch.tensor([[0, 1], [1, 1]])
    h["movie", "similar", "movie"].w = torch.tensor([2.0, 7.0])
    out = NormalizeFeatures()(ToUndirected()(h))
    rev = out["movie", "rev_rates", "user"]
    assert rev.edge_index.tolist() == [[2, 0, 2], [0, 1, 1]] and rev.edge_attr.view(-1).tolist() == [5.0, 4.0, 3.0]
    sim = out["movie", "similar", "movie"]
    assert sim.edge_index.tolist() == [[0, 1, 1], [1, 0, 1]] and sim.w.tolist() == [2.0, 2.0, 14.0]
    assert out["user"].x.tolist() == [[0.25, 0.75], [0.0, 0.0]] and out["movie"].x.sum(1).tolist() == [1.0] * 3
    assert ("movie", "rev_rates", "user") not in h.edge_types and h["user"].x[0, 0] == 1.0


def test_random_node_split_on_hetero_data():
    from geode_core.data import HeteroData

    h = HeteroData()
    h["paper"].y = torch.arange(30) % 3
    h["paper"].x = torch.zeros(30, 1)
    h["author"].x = torch.zeros(7, 1)
    out = RandomNodeSplit(num_val=5, num_test=10, generator=torch.Generator().manual_seed(0))(h)
    assert [int(out["paper"][m].sum()) for m in ("train_mask", "val_mask", "test_mask")] == [15, 5, 10]
    assert "train_mask" not in out["author"] and "train_mask" not in h["paper"]
    with pytest.raises(ValueError, match="no node type of the HeteroData holds key='label'"):
        RandomNodeSplit(key="label")(h)
