"""Data and HeteroData behaviour."""

import networkx as nx
import pytest
import torch

from geode_core.data import Data, HeteroData


def small():
    ei = torch.tensor([[0, 1, 1, 2, 3], [1, 0, 2, 1, 3]])
    return Data(x=torch.arange(10.0).view(5, 2), edge_index=ei,
                edge_attr=torch.arange(5.0), y=torch.tensor([0, 1, 0, 1, 1]), name="g")


def test_sizes_keys_repr():
    d = small()
    assert d.num_nodes == 5 and d.num_edges == 5 and d.num_node_features == 2
    assert d.num_edge_features == 1
    assert d.keys() == ["x", "edge_index", "edge_attr", "y", "name"]
    assert repr(Data(x=torch.zeros(2708, 1433), edge_index=torch.zeros(2, 10556, dtype=torch.long))) \
        == "Data(x=[2708, 1433], edge_index=[2, 10556])"
    d.foo = 3
    assert d["foo"] == 3 and "foo" in d
    del d.foo
    assert "foo" not in d
    e = Data(edge_index=torch.tensor([[0], [6]]))
    assert e.num_nodes == 7
    e.num_nodes = 9
    assert e.num_nodes == 9 and e.keys()[-1] == "num_nodes"


def test_clone_apply_to():
    d = small()
    c = d.clone()
    c.x[0, 0] = 100
    assert d.x[0, 0] == 0
    d.apply(lambda t: t * 2, "x")
    assert d.x[1, 0] == 4 and d.edge_attr[1] == 1
    assert d.to("cpu").x.device.type == "cpu" and d.cpu() is d


def test_structure_queries_vs_networkx():
    d = small()
    assert d.has_self_loops()
    assert d.has_isolated_nodes()  # node 4 has no edges, node 3 only a loop
    G = nx.DiGraph(d.edge_index.t().tolist())
    assert set(G.edges) == set(G.reverse().edges)
    assert Data(edge_index=d.edge_index).is_undirected()
    assert not d.is_undirected()  # edge_attr differs between (0, 1) and (1, 0)
    d.edge_index = torch.tensor([[0, 1, 2, 2, 3], [1, 0, 1, 0, 3]])
    G = nx.DiGraph(d.edge_index.t().tolist())
    assert set(G.edges) != set(G.reverse().edges) and not Data(edge_index=d.edge_index).is_undirected()
    u = Data(edge_index=torch.tensor([[0, 1], [1, 0]]), num_nodes=2)
    assert u.is_undirected() and not u.has_isolated_nodes() and not u.has_self_loops()


def test_subgraph_and_edge_subgraph():
    d = small()
    s = d.subgraph(torch.tensor([1, 2, 4]))
    assert s.num_nodes == 3 and s.x.tolist() == [[2.0, 3.0], [4.0, 5.0], [8.0, 9.0]]
    assert sorted(map(tuple, s.edge_index.t().tolist())) == [(0, 1), (1, 0)]
    assert sorted(s.edge_attr.tolist()) == [2.0, 3.0]
    assert s.y.tolist() == [1, 0, 1] and s.name == "g"
    e = d.edge_subgraph(torch.tensor([0, 4]))
    assert e.num_nodes == 5 and e.edge_index.tolist() == [[0, 3], [1, 3]]
    assert e.edge_attr.tolist() == [0.0, 4.0] and torch.equal(e.x, d.x)


def test_validate_reports_all_problems():
    assert small().validate()
    bad = Data(x=torch.zeros(4, 2), edge_index=torch.tensor([[0, -1, 2], [7, 1, 0]]),
               pos=torch.zeros(3, 3), edge_attr=torch.zeros(2))
    with pytest.raises(ValueError) as err:
        bad.validate()
    msg = str(err.value)
    for part in ("non-negative", "given minimum -1", "[0, 4)", "given maximum 7",
                 "pos: expected first dimension num_nodes=4, given shape [3, 3]",
                 "edge_attr: expected first dimension num_edges=3"):
        assert part in msg, part
    assert not bad.validate(raise_on_error=False)
    with pytest.raises(ValueError, match=r"expected dtype torch.int64, given torch.float32"):
        Data(edge_index=torch.zeros(2, 2)).validate()
    with pytest.raises(ValueError, match=r"expected shape \[2, num_edges\], given \[3, 2\]"):
        Data(edge_index=torch.zeros(3, 2, dtype=torch.long), num_nodes=3).validate()


def test_inc_and_cat_dim():
    d = small()
    assert d.__inc__("edge_index", d.edge_index) == 5 and d.__inc__("x", d.x) == 0
    assert d.__cat_dim__("edge_index", d.edge_index) == -1 and d.__cat_dim__("x", d.x) == 0


def hetero():
    h = HeteroData()
    h["user"].x = torch.randn(3, 4)
    h["movie"].x = torch.randn(5, 4)
    h["user", "rates", "movie"].edge_index = torch.tensor([[0, 1, 2], [4, 0, 1]])
    h["movie", "rev_rates", "user"].edge_index = torch.tensor([[4, 0, 1], [0, 1, 2]])
    return h


def test_hetero_stores_and_metadata():
    h = hetero()
    assert h.node_types == ["user", "movie"]
    assert h.metadata()[1] == [("user", "rates", "movie"), ("movie", "rev_rates", "user")]
    assert set(h.x_dict) == {"user", "movie"} and h.user.x.shape == (3, 4)
    assert h["user", "movie"].edge_index.tolist() == [[0, 1, 2], [4, 0, 1]]
    assert h.num_nodes == 8 and h.num_edges == 6
    assert h.validate()
    assert "user={x=[3, 4]}" in repr(h)


def test_hetero_validate_and_homogeneous():
    h = hetero()
    h["user", "rates", "movie"].edge_index = torch.tensor([[0, 3], [9, 0]])
    with pytest.raises(ValueError) as err:
        h.validate()
    assert "source indices in [0, 3)" in str(err.value) and "given maximum 9" in str(err.value)
    h = hetero()
    g = h.to_homogeneous()
    assert g.num_nodes == 8 and g.x.shape == (8, 4)
    assert g.node_type.tolist() == [0] * 3 + [1] * 5
    assert g.edge_index[:, 0].tolist() == [0, 3 + 4]
    assert g.edge_type.tolist() == [0, 0, 0, 1, 1, 1]
    assert torch.equal(g.x[3:], h["movie"].x)
