"""RandomLinkSplit: partitions, message-passing sets, negatives and labels."""

import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from geode_core.data import Data, HeteroData
from geode_core.transforms import RandomLinkSplit
from geode_core.utils import to_undirected


def pairs(ei):
    return list(map(tuple, ei.t().tolist()))


def random_graph(n=30, m=80, seed=0):
    g = torch.Generator().manual_seed(seed)
    ei = torch.randint(0, n, (2, m), generator=g)
    ei = torch.unique(ei[:, ei[0] != ei[1]], dim=1)
    return Data(x=torch.randn(n, 4, generator=g), edge_index=ei, edge_attr=torch.arange(ei.size(1)).float())


def test_directed_split_partitions_edges():
    torch.manual_seed(0)
    d = random_graph()
    E = d.num_edges
    train, val, test = RandomLinkSplit(num_val=0.1, num_test=0.2)(d)
    n_val, n_test = int(0.1 * E), int(0.2 * E)
    pos = {name: pairs(s.edge_label_index[:, s.edge_label == 1]) for name, s in
           (("train", train), ("val", val), ("test", test))}
    assert len(pos["val"]) == n_val and len(pos["test"]) == n_test
    assert len(pos["train"]) == E - n_val - n_test
    assert sorted(pos["train"] + pos["val"] + pos["test"]) == sorted(pairs(d.edge_index))
    # message passing: train <- train edges, val <- train, test <- train + val
    assert sorted(pairs(train.edge_index)) == sorted(pos["train"])
    assert sorted(pairs(val.edge_index)) == sorted(pos["train"])
    assert sorted(pairs(test.edge_index)) == sorted(pos["train"] + pos["val"])
    # edge attributes follow their edges
    lookup = dict(zip(pairs(d.edge_index), d.edge_attr.tolist()))
    assert [lookup[p] for p in pairs(test.edge_index)] == test.edge_attr.tolist()
    # negatives: one per positive, not edges of the graph, distinct across splits
    edges = set(pairs(d.edge_index))
    negs = [pairs(s.edge_label_index[:, s.edge_label == 0]) for s in (train, val, test)]
    assert [len(x) for x in negs] == [len(pos["train"]), n_val, n_test]
    flat = [p for x in negs for p in x]
    assert len(set(flat)) == len(flat) and not set(flat) & edges
    assert d.num_edges == E and "edge_label" not in d  # input untouched


def test_undirected_split_and_disjoint_supervision():
    torch.manual_seed(1)
    d = random_graph(40, 120, seed=2)
    d.edge_index, d.edge_attr = to_undirected(d.edge_index, d.edge_attr, 40)
    train, val, test = RandomLinkSplit(num_val=5, num_test=7, is_undirected=True,
                                       disjoint_train_ratio=0.25, split_labels=True,
                                       add_negative_train_samples=False)(d)
    undirected = d.num_edges // 2
    assert val.pos_edge_label_index.size(1) == 5 and test.pos_edge_label_index.size(1) == 7
    for s in (train, val, test):
        assert s.is_undirected()
        assert bool((s.pos_edge_label_index[0] <= s.pos_edge_label_index[1]).all())
        assert s.pos_edge_label.eq(1).all() and s.neg_edge_label.eq(0).all()
    n_train = undirected - 12
    n_sup = int(0.25 * n_train)
    assert train.pos_edge_label_index.size(1) == n_sup
    assert train.neg_edge_label_index.size(1) == 0 and val.neg_edge_label_index.size(1) == 5
    assert train.edge_index.size(1) == 2 * (n_train - n_sup)
    assert not set(pairs(train.pos_edge_label_index)) & set(pairs(train.edge_index))
    assert val.edge_index.size(1) == 2 * n_train and test.edge_index.size(1) == 2 * (n_train + 5)


def test_existing_labels_shift_and_errors():
    torch.manual_seed(2)
    d = random_graph()
    d.edge_label = torch.randint(0, 3, (d.num_edges,))
    lookup = dict(zip(pairs(d.edge_index), d.edge_label.tolist()))
    train, _, _ = RandomLinkSplit(neg_sampling_ratio=2.0)(d)
    is_pos = train.edge_label > 0
    assert int((~is_pos).sum()) == 2 * int(is_pos.sum())
    assert [lookup[p] + 1 for p in pairs(train.edge_label_index[:, is_pos])] == train.edge_label[is_pos].tolist()
    d.edge_label = d.edge_label.float()
    with pytest.raises(ValueError, match="edge_label must hold integer labels"):
        RandomLinkSplit()(d)
    with pytest.raises(ValueError, match="leave no training edges"):
        RandomLinkSplit(num_val=0.5, num_test=0.5)(random_graph())


def test_hetero_split_with_reverse_type():
    torch.manual_seed(3)
    h = HeteroData()
    h["user"].x = torch.randn(6, 2)
    h["movie"].x = torch.randn(9, 2)
    ei = torch.unique(torch.stack([torch.randint(0, 6, (40,)), torch.randint(0, 9, (40,))]), dim=1)
    h["user", "rates", "movie"].edge_index = ei
    h["movie", "rev_rates", "user"].edge_index = ei.flip(0)
    split = RandomLinkSplit(num_val=0.2, num_test=0.2, edge_types=("user", "rates", "movie"),
                            rev_edge_types=("movie", "rev_rates", "user"))
    train, val, test = split(h)
    et, rev = ("user", "rates", "movie"), ("movie", "rev_rates", "user")
    for s in (train, val, test):
        assert torch.equal(s[rev].edge_index, s[et].edge_index.flip(0))
        label_index = s[et].edge_label_index
        assert int(label_index[0].max()) < 6 and int(label_index[1].max()) < 9
        negs = set(pairs(label_index[:, s[et].edge_label == 0]))
        assert not negs & set(pairs(ei))
    assert h[et].edge_index.size(1) == ei.size(1) and "edge_label" not in h[et]
    with pytest.raises(ValueError, match="HeteroData needs edge_types"):
        RandomLinkSplit()(h)


def test_too_few_non_edges_warns():
    ei = torch.tensor([[0, 1, 1, 2, 0, 2, 0, 1], [1, 0, 2, 1, 2, 0, 0, 1]])  # complete 3-node graph + loops
    with pytest.warns(UserWarning, match="only 0 node pairs that are not edges"):
        train, val, _ = RandomLinkSplit(num_val=1, num_test=1)(Data(edge_index=ei, num_nodes=3))
    assert train.edge_label.eq(1).all() and val.edge_label.tolist() == [1.0]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(4, 12), m=st.integers(6, 40), seed=st.integers(0, 2**16), undirected=st.booleans(),
       disjoint=st.sampled_from([0.0, 0.3]))
def test_split_invariants_on_random_graphs(n, m, seed, undirected, disjoint):
    g = torch.Generator().manual_seed(seed)
    ei = torch.randint(0, n, (2, m), generator=g)
    ei = torch.unique(ei[:, ei[0] != ei[1]], dim=1)
    if undirected:
        ei = to_undirected(ei, num_nodes=n)[0]
    d = Data(edge_index=ei, num_nodes=n)
    pairs_total = ei.size(1) // 2 if undirected else ei.size(1)
    torch.manual_seed(seed)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            splits = RandomLinkSplit(num_val=0.2, num_test=0.2, is_undirected=undirected,
                                     disjoint_train_ratio=disjoint)(d)
    except ValueError as err:  # too few edges to leave training/message-passing edges
        assert "leave no" in str(err) or "leaves no" in str(err)
        return
    canon = (lambda p: tuple(sorted(p))) if undirected else (lambda p: p)
    edges = {canon(p) for p in pairs(ei)}
    positives = [[canon(p) for p in pairs(s.edge_label_index[:, s.edge_label == 1])] for s in splits]
    train_sup, val, test = positives
    assert not set(val) & set(test) and not (set(val) | set(test)) & set(train_sup)
    assert set(train_sup) | set(val) | set(test) <= edges
    mp = [{canon(p) for p in pairs(s.edge_index)} for s in splits]
    assert mp[0] <= mp[1] <= mp[2] and set(val) <= mp[2] and not set(test) & mp[2]
    assert mp[1] | set(val) | set(test) == edges and len(mp[1]) + len(val) + len(test) == pairs_total
    for s in splits:
        negatives = {tuple(p) for p in pairs(s.edge_label_index[:, s.edge_label == 0])}
        assert not {canon(p) for p in negatives} & edges and all(i != j for i, j in negatives)
        if undirected:
            assert s.is_undirected()
