"""FeatureStore / GraphStore interfaces: the in-memory reference backend, Data and HeteroData."""

import pytest
import torch

from geode_core.data import (
    Data,
    EdgeAttr,
    EdgeLayout,
    HeteroData,
    InMemoryFeatureStore,
    InMemoryGraphStore,
    TensorAttr,
)


def _x(n=6, f=3, dtype=torch.float32):
    return torch.arange(n * f).view(n, f).to(dtype)


# --- TensorAttr / EdgeAttr -----------------------------------------------------------------
def test_tensor_attr_cast_and_specify():
    attr = TensorAttr.cast(("paper", "x"))
    assert attr.is_set("group_name") and attr.is_set("attr_name") and not attr.is_set("index")
    assert not attr.is_fully_specified()
    assert attr.fully_specify().index is None and attr.is_fully_specified()
    assert TensorAttr.cast({"attr_name": "y"}).attr_name == "y"
    assert TensorAttr.cast(attr) is attr
    merged = TensorAttr("a").update(TensorAttr(attr_name="x", index=3))
    assert (merged.group_name, merged.attr_name, merged.index) == ("a", "x", 3)


def test_edge_attr_layout_from_string_and_bad_values():
    assert EdgeAttr(("a", "r", "b"), "csr").layout is EdgeLayout.CSR
    with pytest.raises(ValueError, match="layout"):
        EdgeAttr(None, "dense")
    with pytest.raises(ValueError, match="size"):
        EdgeAttr(None, "coo", size=(3,))


# --- FeatureStore behaviour (reference backend) --------------------------------------------
@pytest.mark.parametrize("index", [None, 2, -1, slice(1, 4), [0, 5, 2], torch.tensor([3, 3, 0]),
                                   torch.tensor([True, False, True, False, False, True])])
def test_get_tensor_matches_torch_indexing(index):
    store, x = InMemoryFeatureStore(), _x()
    store.put_tensor(x, group_name="paper", attr_name="x", index=None)
    expected = x if index is None else x[torch.tensor(index) if isinstance(index, list) else index]
    assert torch.equal(store.get_tensor("paper", "x", index), expected)
    assert torch.equal(store["paper", "x", index], expected)


def test_item_and_view_syntax():
    store, x = InMemoryFeatureStore(), _x()
    store["paper", "x"] = x
    assert torch.equal(store.paper.x[[1, 2]], x[[1, 2]])
    assert torch.equal(store["paper"].x[0], x[0])
    assert torch.equal(store.paper.x(), x)
    assert torch.equal(store.view(group_name="paper", attr_name="x")[:2], x[:2])
    store.paper.x[[0, 1]] = torch.zeros(2, 3)
    assert store["paper", "x", None][:2].abs().sum() == 0
    assert ("paper", "x") in store and ("paper", "y") not in store
    del store["paper", "x"]
    assert store.get_all_tensor_attrs() == []


def test_put_copies_and_row_writes():
    store, x = InMemoryFeatureStore(), _x()
    store.put_tensor(x, "n", "x")
    x[0] = -1  # the store owns a copy
    assert store["n", "x", 0].min() >= 0
    store.put_tensor(torch.full((3,), 9.0), "n", "x", 4)
    store.put_tensor(torch.full((2, 3), 7.0), "n", "x", torch.tensor([1, 2]))
    got = store["n", "x", None]
    assert (got[4] == 9).all() and (got[1:3] == 7).all() and torch.equal(got[0], _x()[0])


def test_update_remove_size_and_all_attrs():
    store = InMemoryFeatureStore()
    store.put_tensor(_x(), "a", "x")
    store.put_tensor(torch.arange(4), "b", "y")
    assert store.get_tensor_size("a", "x") == (6, 3)
    assert sorted(a.key for a in store.get_all_tensor_attrs()) == [("a", "x"), ("b", "y")]
    store.update_tensor(torch.ones(2, 5, dtype=torch.float64), "a", "x")
    assert store.get_tensor_size("a", "x") == (2, 5) and store["a", "x", None].dtype == torch.float64
    store.update_tensor(torch.tensor([10]), "b", "y", [2])
    assert store["b", "y", None].tolist() == [0, 1, 10, 3]
    assert store.remove_tensor("b", "y") and not store.remove_tensor("b", "y")
    with pytest.raises(KeyError, match="attr_name='y'"):
        store.update_tensor(torch.ones(1), "b", "y")


def test_multi_get_tensor():
    store = InMemoryFeatureStore()
    store.put_tensor(_x(), "a", "x")
    store.put_tensor(_x(4, 2, torch.int64), "b", "x")
    out = store.multi_get_tensor([TensorAttr("a", "x", [1]), ("b", "x", slice(0, 2))])
    assert torch.equal(out[0], _x()[[1]]) and torch.equal(out[1], _x(4, 2, torch.int64)[:2])
    with pytest.raises(KeyError):
        store.multi_get_tensor([("c", "x", None)])


def test_feature_store_bad_input():
    store = InMemoryFeatureStore()
    store.put_tensor(_x(), "a", "x")
    with pytest.raises(KeyError, match="stored: \\[\\('a', 'x'\\)\\]"):
        store.get_tensor("a", "nope")
    with pytest.raises(IndexError, match="given range \\[0, 6\\]"):
        store.get_tensor("a", "x", torch.tensor([0, 6]))
    with pytest.raises(IndexError, match="bool mask"):
        store.get_tensor("a", "x", torch.tensor([True]))
    with pytest.raises(TypeError, match="integer or bool"):
        store.get_tensor("a", "x", torch.tensor([0.5]))
    with pytest.raises(TypeError, match=r"expected dtype torch\.float32"):
        store.put_tensor(torch.ones(1, 3, dtype=torch.float64), "a", "x", [0])
    with pytest.raises(ValueError, match="expected shape \\[2, 3\\]"):
        store.put_tensor(torch.ones(2, 4), "a", "x", [0, 1])
    with pytest.raises(TypeError, match=r"expected a torch\.Tensor"):
        store.put_tensor([1, 2], "a", "z")
    with pytest.raises(ValueError, match="attr_name must be given"):
        store.get_tensor(group_name="a")
    with pytest.raises(ValueError, match="index must be None"):
        store.remove_tensor("a", "x", 0)


# --- GraphStore behaviour ------------------------------------------------------------------
def _random_coo(num_src=7, num_dst=5, num_edges=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randint(num_src, (num_edges,), generator=g),
            torch.randint(num_dst, (num_edges,), generator=g))


def _edge_set(row, col):
    return sorted(zip(row.tolist(), col.tolist()))


def test_graph_store_layout_conversions_match_brute_force():
    row, col = _random_coo()
    store = InMemoryGraphStore()
    et = ("u", "r", "v")
    store.put_edge_index((row, col), edge_type=et, layout="coo", size=(7, 5))
    rowptr, cols, perm = (d[et] for d in store.csr())
    for u in range(7):  # brute force: the destinations of each source, in input order
        expected = [int(c) for r, c in zip(row, col) if r == u]
        assert cols[rowptr[u]:rowptr[u + 1]].tolist() == expected
    assert torch.equal(row[perm], torch.repeat_interleave(torch.arange(7), rowptr.diff()))
    colptr, rows, perm = (d[et] for d in store.csc())
    assert colptr.numel() == 6 and torch.equal(col[perm], torch.repeat_interleave(torch.arange(5), colptr.diff()))
    assert torch.equal(rows, row[perm])
    r2, c2, _ = (d[et] for d in store.coo())
    assert torch.equal(r2, row) and torch.equal(c2, col)


def test_graph_store_put_get_remove_and_errors():
    row, col = _random_coo()
    store = InMemoryGraphStore()
    store.put_edge_index((row, col), edge_type=None, layout=EdgeLayout.COO)
    assert store.get_all_edge_attrs()[0].size == (int(row.max()) + 1, int(col.max()) + 1)
    assert torch.equal(store[EdgeAttr(None, "coo")][0], row)
    assert store.remove_edge_index(None, "coo") and not store.remove_edge_index(None, "coo")
    with pytest.raises(KeyError, match="no edge index"):
        store.get_edge_index(None, "coo")
    with pytest.raises(ValueError, match="layout must be given"):
        store.get_edge_index(edge_type=None)
    with pytest.raises(ValueError, match="same length"):
        store.put_edge_index((row, col[:-1]), None, "coo")
    with pytest.raises(ValueError, match="pointer"):
        store.put_edge_index((torch.tensor([0, 3, 2]), torch.tensor([0, 1])), None, "csr")
    with pytest.raises(ValueError, match="non-negative"):
        store.put_edge_index((torch.tensor([-1]), torch.tensor([0])), None, "coo")
    with pytest.raises(ValueError, match="size\\[0\\]=3"):
        store.put_edge_index((row, col), None, "coo", size=(3, 5))
    with pytest.raises(TypeError, match="int64 or int32"):
        store.put_edge_index((row.float(), col), None, "coo")


# --- Data and HeteroData as stores ----------------------------------------------------------
def test_data_is_a_feature_and_graph_store():
    ei = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 0]])
    data = Data(x=_x(4), edge_index=ei, edge_attr=torch.ones(4, 2))
    assert [a.key for a in data.get_all_tensor_attrs()] == [(None, "x")]
    assert torch.equal(data.get_tensor(attr_name="x", index=[1, 3]), _x(4)[[1, 3]])
    data.put_tensor(torch.zeros(4), attr_name="score")
    assert torch.equal(data.score, torch.zeros(4))
    assert data.get_all_edge_attrs()[0].size == (4, 4)
    row, colptr = data.get_edge_index(layout="csc")
    assert colptr.tolist() == [0, 1, 2, 3, 4] and row.tolist() == [3, 0, 1, 2]
    fresh = Data()
    fresh.put_edge_index((torch.tensor([0, 2, 3]), torch.tensor([1, 2, 0])), layout="csr", size=(2, 3))
    assert fresh.edge_index.tolist() == [[0, 0, 1], [1, 2, 0]] and fresh.num_nodes == 3
    with pytest.raises(KeyError, match="group_name=None"):
        data.get_tensor("paper", "x")


def test_hetero_data_is_a_feature_and_graph_store():
    data = HeteroData()
    assert bool(data)  # the store interface adds no __len__ that would make it falsy
    data["paper"].x = _x(5)
    data["author"].x = _x(3, 2)
    et = ("author", "writes", "paper")
    data[et].edge_index = torch.tensor([[0, 1, 2, 2], [4, 0, 1, 3]])
    assert sorted(a.key for a in data.get_all_tensor_attrs()) == [("author", "x"), ("paper", "x")]
    assert torch.equal(data.get_tensor("paper", "x", [4]), _x(5)[[4]])
    assert data.get_all_edge_attrs()[0].size == (3, 5)
    rowptr, col = data.get_edge_index(et, "csr")
    assert rowptr.tolist() == [0, 1, 2, 4] and col.tolist() == [4, 0, 1, 3]
    data.put_tensor(torch.ones(2, 1), "venue", "x")
    assert data["venue"].x.shape == (2, 1)
    assert data.remove_tensor("venue", "x") and not data.remove_tensor("ghost", "x")
    data.put_edge_index((torch.tensor([0]), torch.tensor([1])), ("paper", "cites", "paper"), "coo")
    assert ("paper", "cites", "paper") in data.edge_types
    assert data.remove_edge_index(et, "coo") and "edge_index" not in data[et]
