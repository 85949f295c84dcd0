"""The conformance suite on the in-memory reference backends and the memmap stores."""

from geode_core.data import InMemoryFeatureStore, InMemoryGraphStore
from geode_stores import CachedFeatureStore, DiskGraphStore, MemmapFeatureStore
from geode_stores.testing import FeatureStoreConformance, GraphStoreConformance


class TestInMemoryFeatureStore(FeatureStoreConformance):
    def create_store(self, path):
        return InMemoryFeatureStore()


class TestInMemoryGraphStore(GraphStoreConformance):
    def create_store(self, path):
        return InMemoryGraphStore()


class TestMemmapFeatureStore(FeatureStoreConformance):
    def create_store(self, path):
        return MemmapFeatureStore(path / "store")

    def reopen_store(self, store, path):
        store.close()
        return MemmapFeatureStore(path / "store", mode="r")


class TestDiskGraphStore(GraphStoreConformance):
    def create_store(self, path):
        return DiskGraphStore(path / "graph")

    def reopen_store(self, store, path):
        store.close()
        return DiskGraphStore(path / "graph", mode="r")


class TestCachedFeatureStore(FeatureStoreConformance):
    """The cache in front of a store must not change what the store answers."""

    def create_store(self, path):
        return CachedFeatureStore(MemmapFeatureStore(path / "store"), capacity=4)
