"""geode-sampler's NeighborLoader trains from every geode-stores backend (when installed)."""

import pytest
import torch

from geode_core.data import Data
from geode_stores import CachedFeatureStore, DiskGraphStore, MemmapFeatureStore

geode_sampler = pytest.importorskip("geode_sampler")


def _graph():
    g = torch.Generator().manual_seed(0)
    return Data(x=torch.randn(80, 6, generator=g), y=torch.randint(3, (80,), generator=g),
                edge_index=torch.randint(80, (2, 400), generator=g))


def _feature_stores(tmp_path):
    yield "memmap", MemmapFeatureStore(tmp_path / "mm")
    yield "cached memmap", CachedFeatureStore(MemmapFeatureStore(tmp_path / "mm2"), capacity=16)
    try:
        from geode_stores import RocksDBFeatureStore

        yield "rocksdb", RocksDBFeatureStore(tmp_path / "rocks", chunk_rows=5)
    except ImportError:
        pass


def test_neighbor_loader_reads_features_and_structure_from_stores(tmp_path):
    from geode_sampler.loader import NeighborLoader

    data = _graph()
    graph = DiskGraphStore(tmp_path / "graph")
    graph.put_edge_index((data.edge_index[0], data.edge_index[1]), edge_type=None, layout="coo",
                         size=(80, 80))
    edges = set(zip(data.edge_index[0].tolist(), data.edge_index[1].tolist()))
    for name, store in _feature_stores(tmp_path):
        store.put_tensor(data.x, None, "x")
        store.put_tensor(data.y, None, "y")
        loader = NeighborLoader((store, graph), num_neighbors=[4, 2], batch_size=16,
                                input_nodes=torch.arange(40))
        batches = list(loader)
        assert len(batches) == 3, name
        for batch in batches:
            assert torch.equal(batch.x, data.x[batch.n_id]), name
            assert torch.equal(batch.y, data.y[batch.n_id]), name
            src, dst = batch.n_id[batch.edge_index[0]], batch.n_id[batch.edge_index[1]]
            assert set(zip(src.tolist(), dst.tolist())) <= edges, name
        store.close()


def test_neighbor_loader_trains_from_a_kuzu_database(tmp_path):
    pytest.importorskip("kuzu")
    from geode_sampler.loader import NeighborLoader
    from geode_stores import KuzuFeatureStore, KuzuGraphStore, to_kuzu

    data = _graph()
    to_kuzu(data, tmp_path / "db")
    stores = (KuzuFeatureStore(tmp_path / "db"), KuzuGraphStore(tmp_path / "db"))
    loader = NeighborLoader(stores, num_neighbors=[4, 2], batch_size=16,
                            input_nodes=("node", torch.arange(40)))
    edges = set(zip(data.edge_index[0].tolist(), data.edge_index[1].tolist()))
    for batch in loader:
        nodes = batch["node"]
        assert torch.equal(nodes.x, data.x[nodes.n_id]) and torch.equal(nodes.y, data.y[nodes.n_id])
        ei = batch["node", "edge", "node"].edge_index
        assert set(zip(nodes.n_id[ei[0]].tolist(), nodes.n_id[ei[1]].tolist())) <= edges
