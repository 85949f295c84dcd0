"""geode-stores registers its backends and its public names with the Geode registry."""

import geode
from geode_core.data import FeatureStore, GraphStore
from geode_core.plugins import get_registry


def test_store_backends_are_registered_by_role():
    registry = get_registry()
    roles = {e.name: e.meta["role"] for e in registry.entries("store")}
    assert {"memmap", "rocksdb", "kuzu", "cached"} <= {n for n, r in roles.items() if r == "feature"}
    assert {"disk_graph", "kuzu_graph"} <= {n for n, r in roles.items() if r == "graph"}
    for entry in registry.entries("store"):
        base = FeatureStore if entry.meta["role"] == "feature" else GraphStore
        assert issubclass(entry.load(), base)


def test_public_names_reach_geode_stores():
    assert geode.stores.Partitioner.__name__ == "Partitioner"
    assert geode.stores.DistNeighborLoader.__module__ == "geode_stores.distributed.loader"
