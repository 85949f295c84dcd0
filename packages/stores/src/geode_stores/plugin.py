"""geode-stores's hook implementations: what it contributes to the Geode registry."""

from __future__ import annotations

from geode_core.plugins import hookimpl

#: store name -> (object path, role, extra needed or None)
STORES = {
    "memmap": ("geode_stores.memmap:MemmapFeatureStore", "feature", None),
    "rocksdb": ("geode_stores.rocksdb:RocksDBFeatureStore", "feature", "rocksdb"),
    "kuzu": ("geode_stores.kuzu:KuzuFeatureStore", "feature", "kuzu"),
    "cached": ("geode_stores.cache:CachedFeatureStore", "feature", None),
    "disk_graph": ("geode_stores.disk_graph:DiskGraphStore", "graph", None),
    "kuzu_graph": ("geode_stores.kuzu:KuzuGraphStore", "graph", "kuzu"),
}


@hookimpl
def geode_register_exports(registry):
    registry.add("stores.*", "geode_stores")


@hookimpl
def geode_register_stores(registry):
    for name, (obj, role, extra) in STORES.items():
        registry.add(name, obj, role=role, extra=extra)
