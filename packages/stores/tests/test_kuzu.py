"""Kuzu stores: a database made from a Geode graph, and one made by Kuzu itself."""

import multiprocessing

import pytest
import torch

from geode_core.data import Data, HeteroData

kuzu = pytest.importorskip("kuzu")

from geode_stores import KuzuFeatureStore, KuzuGraphStore, to_kuzu  # noqa: E402


def _edges(ei):
    return sorted(zip(ei[0].tolist(), ei[1].tolist()))


@pytest.fixture(scope="module")
def hetero(tmp_path_factory):
    g = torch.Generator().manual_seed(0)
    data = HeteroData()
    data["paper"].x = torch.randn(30, 4, generator=g)
    data["paper"].y = torch.randint(3, (30,), generator=g)
    data["author"].x = torch.randn(12, 2, generator=g).double()
    data["author", "writes", "paper"].edge_index = torch.stack(
        [torch.randint(12, (50,), generator=g), torch.randint(30, (50,), generator=g)])
    data["paper", "cites", "paper"].edge_index = torch.randint(30, (2, 80), generator=g)
    path = to_kuzu(data, tmp_path_factory.mktemp("kuzu") / "db")
    return data, path


@pytest.mark.parametrize("index", [None, 3, slice(2, 9), torch.tensor([5, 1, 5, 29]),
                                   [0, 29], "mask"], ids=str)
def test_features_equal_the_graph(hetero, index):
    data, path = hetero
    store = KuzuFeatureStore(path)
    if isinstance(index, str):
        index = torch.arange(30) % 3 == 0
    x = data["paper"].x
    expected = x if index is None else x[torch.tensor(index) if isinstance(index, list) else index]
    assert torch.equal(store.get_tensor("paper", "x", index), expected)
    assert torch.equal(store.get_tensor("author", "x"), data["author"].x)  # float64 round trip
    assert store.get_tensor_size("paper", "x") == (30, 4)
    assert sorted(a.key for a in store.get_all_tensor_attrs()) == \
        [("author", "x"), ("paper", "x"), ("paper", "y")]
    store.close()


def test_graph_structure_equals_the_graph(hetero):
    data, path = hetero
    store = KuzuGraphStore(path)
    for et in data.edge_types:
        row, col = store.get_edge_index(et, "coo")
        assert _edges((row, col)) == _edges(data[et].edge_index)
    colptr, row, _ = (d[("author", "writes", "paper")] for d in store.csc())
    ei = data["author", "writes", "paper"].edge_index
    for v in range(30):
        assert sorted(row[colptr[v]:colptr[v + 1]].tolist()) == sorted(ei[0][ei[1] == v].tolist())
    assert {a.edge_type: a.size for a in store.get_all_edge_attrs()}[("author", "writes", "paper")] == (12, 30)
    store.close()


def test_read_only_and_missing_keys(hetero):
    _, path = hetero
    store = KuzuFeatureStore(path)
    with pytest.raises(PermissionError, match="read-only"):
        store.put_tensor(torch.ones(30, 4), "paper", "x")
    with pytest.raises(KeyError):
        store.get_tensor("paper", "z")
    with pytest.raises(IndexError):
        store.get_tensor("paper", "x", 30)
    graph = KuzuGraphStore(path)
    with pytest.raises(KeyError):
        graph.get_edge_index(("paper", "ghost", "paper"), "coo")
    with pytest.raises(FileNotFoundError):
        KuzuFeatureStore(path.parent / "absent")
    store.close()
    graph.close()


def test_an_existing_database_built_by_kuzu(tmp_path):
    db = kuzu.Database(str(tmp_path / "db"))
    conn = kuzu.Connection(db)
    conn.execute("CREATE NODE TABLE user(id INT64, age INT64, emb FLOAT[2], PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE follows(FROM user TO user)")
    for i in range(4):
        conn.execute(f"CREATE (:user {{id: {i}, age: {20 + i}, emb: [{i}.0, {-i}.5]}})")
    for a, b in [(0, 1), (1, 2), (3, 0), (2, 1)]:
        conn.execute(f"MATCH (a:user), (b:user) WHERE a.id = {a} AND b.id = {b} CREATE (a)-[:follows]->(b)")
    conn.close()
    db.close()
    features, graph = KuzuFeatureStore(tmp_path / "db"), KuzuGraphStore(tmp_path / "db")
    assert features.get_tensor("user", "age", [3, 0]).tolist() == [23, 20]
    assert features.get_tensor("user", "emb", 2).tolist() == [2.0, -2.5]
    row, col = graph.get_edge_index(None, "coo")  # the only edge type
    assert _edges((row, col)) == [(0, 1), (1, 2), (2, 1), (3, 0)]


def test_homogeneous_data_and_dataloader_workers(tmp_path):
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method")
    data = Data(x=torch.randn(40, 3), edge_index=torch.randint(40, (2, 90)))
    store = KuzuFeatureStore(to_kuzu(data, tmp_path / "db"))
    batches = [list(range(i, 40, 4)) for i in range(4)]
    loader = torch.utils.data.DataLoader(
        batches, batch_size=None, num_workers=2, multiprocessing_context="fork",
        collate_fn=lambda rows: store.get_tensor("node", "x", torch.tensor(rows)))
    for rows, got in zip(batches, loader):
        assert torch.equal(got, data.x[rows])
    with pytest.raises(FileExistsError):
        to_kuzu(data, tmp_path / "db")
