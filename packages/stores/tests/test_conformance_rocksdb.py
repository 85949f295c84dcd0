"""The conformance suite on the RocksDB feature store (skipped without rocksdict)."""

import pytest

pytest.importorskip("rocksdict")

from geode_stores import RocksDBFeatureStore
from geode_stores.testing import FeatureStoreConformance


class TestRocksDBFeatureStore(FeatureStoreConformance):
    def create_store(self, path):
        return RocksDBFeatureStore(path / "db", chunk_rows=3)

    def reopen_store(self, store, path):
        store.close()
        return RocksDBFeatureStore(path / "db", read_only=True)
