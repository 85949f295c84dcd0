"""Cached adjacency, to_heterogeneous, HeteroData subgraphs and HeteroBatch round trips."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from geode_core.data import Batch, Data, HeteroBatch, HeteroData
from geode_core.loader import DataLoader
from geode_core.nn import SAGEConv


def test_adj_t_is_built_once_and_invalidated():
    d = Data(x=torch.randn(4, 3), edge_index=torch.tensor([[0, 1, 3, 2], [1, 2, 1, 0]]))
    adj = d.adj_t
    assert d.adj_t is adj and adj.size == (4, 4)
    # CSR rows are targets, sorted, with the permutation back to edge order
    assert adj.rowptr.tolist() == [0, 1, 3, 4, 4]
    assert torch.equal(d.edge_index[:, adj.perm], torch.stack([adj.col, adj.row]))
    conv = SAGEConv(3, 2)
    assert torch.allclose(conv(d.x, adj), conv(d.x, d.edge_index), atol=1e-6)
    d.edge_index = torch.tensor([[0], [3]])
    assert d.adj_t is not adj and d.adj_t.num_edges == 1
    cached = d.adj_t
    d.edge_index[1, 0] = 2  # in-place change bumps the tensor version
    assert d.adj_t is not cached and d.adj_t.row.tolist() == [2]
    d.num_nodes = 6
    assert d.adj_t.size == (6, 6)
    with pytest.raises(AttributeError, match="adj_t"):
        _ = Data(x=torch.zeros(2, 1)).adj_t


def test_copies_share_or_rebuild_the_cache_correctly():
    d = Data(edge_index=torch.tensor([[0, 1], [1, 0]]))
    adj = d.adj_t
    assert d.clone().adj_t.num_edges == 2
    from geode_core.transforms import RemoveSelfLoops, ToUndirected

    out = ToUndirected()(RemoveSelfLoops()(d))
    assert out.adj_t.num_edges == 2 and d.adj_t is adj


def test_to_heterogeneous_inverts_to_homogeneous():
    h = HeteroData()
    h["user"].x = torch.randn(3, 4)
    h["movie"].x = torch.randn(5, 4)
    h["user", "rates", "movie"].edge_index = torch.tensor([[0, 1, 2], [4, 0, 1]])
    h["user", "rates", "movie"].edge_attr = torch.randn(3, 2)
    h["movie", "rev_rates", "user"].edge_index = torch.tensor([[4, 0, 1], [0, 1, 2]])
    h["movie", "rev_rates", "user"].edge_attr = torch.randn(3, 2)
    g = h.to_homogeneous()
    back = g.to_heterogeneous(node_type_names=h.node_types, edge_type_names=h.edge_types)
    assert back.node_types == h.node_types and back.edge_types == h.edge_types
    for nt in h.node_types:
        assert torch.equal(back[nt].x, h[nt].x)
    for et in h.edge_types:
        assert torch.equal(back[et].edge_index, h[et].edge_index)
        assert torch.equal(back[et].edge_attr, h[et].edge_attr)
    default = g.to_heterogeneous()
    assert default.node_types == ["0", "1"] and default.edge_types == [("0", "0", "1"), ("1", "1", "0")]


def test_to_heterogeneous_by_brute_force():
    d = Data(x=torch.arange(6.0).view(6, 1), edge_index=torch.tensor([[0, 1, 2, 5], [3, 4, 5, 0]]),
             node_type=torch.tensor([0, 1, 0, 1, 1, 0]), edge_type=torch.tensor([0, 1, 2, 2]), name="g")
    h = d.to_heterogeneous()
    # type 0 nodes: 0, 2, 5 -> 0, 1, 2; type 1 nodes: 1, 3, 4 -> 0, 1, 2
    assert h["0"].x.view(-1).tolist() == [0.0, 2.0, 5.0] and h["1"].x.view(-1).tolist() == [1.0, 3.0, 4.0]
    assert h["0", "0", "1"].edge_index.tolist() == [[0], [1]]
    assert h["1", "1", "1"].edge_index.tolist() == [[0], [2]]
    assert h["0", "2", "0"].edge_index.tolist() == [[1, 2], [2, 0]] and h.name == "g"
    assert h.validate()
    with pytest.raises(ValueError, match="edges of type 0 join node types"):
        d.to_heterogeneous(edge_type=torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match=r"edge_type must have one entry per edge \(4\), got 3"):
        d.to_heterogeneous(edge_type=torch.zeros(3, dtype=torch.long))


def test_hetero_subgraph():
    h = HeteroData()
    h["a"].x = torch.arange(4.0)
    h["b"].x = torch.arange(3.0)
    h["a", "to", "b"].edge_index = torch.tensor([[0, 1, 3, 3], [0, 2, 1, 2]])
    h["a", "to", "b"].w = torch.tensor([10.0, 11.0, 12.0, 13.0])
    h["a", "self", "a"].edge_index = torch.tensor([[0, 3], [3, 1]])
    s = h.subgraph({"a": torch.tensor([1, 3])})
    assert s["a"].x.tolist() == [1.0, 3.0] and s["b"].x.tolist() == [0.0, 1.0, 2.0]
    assert s["a", "to", "b"].edge_index.tolist() == [[0, 1, 1], [2, 1, 2]]
    assert s["a", "to", "b"].w.tolist() == [11.0, 12.0, 13.0]
    assert s["a", "self", "a"].edge_index.tolist() == [[1], [0]]
    assert h["a"].x.numel() == 4 and s.validate()
    mask = torch.tensor([True, False, True])
    t = h.subgraph({"b": mask})
    assert t["a", "to", "b"].edge_index.tolist() == [[0, 1, 3], [0, 1, 1]]


@st.composite
def hetero_graphs(draw):
    seed = draw(st.integers(0, 2**16))
    g = torch.Generator().manual_seed(seed)
    n_a, n_b = draw(st.integers(0, 5)), draw(st.integers(1, 5))
    m = draw(st.integers(0, 8)) if n_a else 0
    h = HeteroData()
    h["a"].x = torch.randn(n_a, 2, generator=g)
    h["a"].num_nodes = n_a
    h["b"].y = torch.randint(0, 3, (n_b,), generator=g)
    h["a", "to", "b"].edge_index = torch.stack([torch.randint(0, max(n_a, 1), (m,), generator=g),
                                                torch.randint(0, n_b, (m,), generator=g)])
    h["a", "to", "b"].edge_attr = torch.randn(m, 3, generator=g)
    h["b", "loop", "b"].edge_index = torch.randint(0, n_b, (2, 2), generator=g)
    h.label = torch.tensor(seed % 5)
    h.tag = f"g{seed}"
    return h


def same_store(a, b):
    assert a.keys() == b.keys()
    for key, value in a.items():
        other = b[key]
        if isinstance(value, torch.Tensor):
            assert value.dtype == other.dtype and torch.equal(value, other), key
        else:
            assert value == other and type(value) is type(other), key


@settings(max_examples=40, deadline=None)
@given(st.lists(hetero_graphs(), min_size=1, max_size=4))
def test_hetero_batch_round_trip(graphs):
    batch = Batch.from_data_list(graphs)
    assert isinstance(batch, HeteroBatch) and batch.num_graphs == len(graphs)
    offsets_a, offsets_b, ref = 0, 0, []
    for h in graphs:
        ref.append(h["a", "to", "b"].edge_index + torch.tensor([[offsets_a], [offsets_b]]))
        offsets_a += h["a"].num_nodes
        offsets_b += h["b"].num_nodes
    assert torch.equal(batch["a", "to", "b"].edge_index, torch.cat(ref, 1))
    assert batch["b"].batch.tolist() == [i for i, h in enumerate(graphs) for _ in range(h["b"].num_nodes)]
    assert batch["a"].ptr[-1] == offsets_a and batch.label.shape == (len(graphs),)
    for h, back in zip(graphs, batch.to_data_list()):
        same_store(h._global, back._global)
        for key in [*h.node_types, *h.edge_types]:
            same_store(h[key], back[key])


def test_hetero_batch_errors_and_loader():
    a, b = HeteroData(), HeteroData()
    a["x"].x = torch.zeros(2, 1)
    b["y"].x = torch.zeros(2, 1)
    with pytest.raises(ValueError, match="graph 1 has types"):
        Batch.from_data_list([a, b])
    graphs = [a.clone() for _ in range(5)]
    batches = list(DataLoader(graphs, batch_size=2))
    assert [x.num_graphs for x in batches] == [2, 2, 1] and batches[0]["x"].x.shape == (4, 1)
    assert batches[0].get_example(-1)["x"].x.shape == (2, 1)
    assert repr(batches[0]).startswith("HeteroBatch(num_graphs=2,")


def test_coalesce_merges_duplicates_like_a_dense_sum():
    ei = torch.tensor([[2, 0, 2, 1, 0], [1, 1, 1, 0, 1]])
    d = Data(edge_index=ei, edge_weight=torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]), edge_attr=torch.ones(5, 2),
             x=torch.zeros(4, 1))
    assert not d.is_coalesced()
    d.coalesce()
    assert d.is_coalesced() and d.num_nodes == 4
    assert d.edge_index.tolist() == [[0, 1, 2], [1, 0, 1]]
    assert d.edge_weight.tolist() == [7.0, 4.0, 4.0] and d.edge_attr[:, 0].tolist() == [2.0, 1.0, 2.0]
    again = Data.from_dict(d.to_dict())
    assert set(again.keys()) == set(d.keys()) and torch.equal(again.edge_index, d.edge_index)


def test_hetero_adj_t_dict_is_cached_per_edge_type():
    h = HeteroData()
    h["a"].x = torch.zeros(3, 1)
    h["b"].x = torch.zeros(5, 1)
    h["a", "to", "b"].edge_index = torch.tensor([[0, 2, 1], [4, 0, 4]])
    adjs = h.adj_t_dict
    adj = adjs[("a", "to", "b")]
    assert adj.size == (3, 5) and adj.rowptr.tolist() == [0, 1, 1, 1, 1, 3]
    assert h.adj_t_dict[("a", "to", "b")] is adj
    h["a", "to", "b"].edge_index = torch.tensor([[0], [1]])
    assert h.adj_t_dict[("a", "to", "b")].num_edges == 1
    h["b"].x = torch.zeros(6, 1)
    assert h.adj_t_dict[("a", "to", "b")].size == (3, 6)
