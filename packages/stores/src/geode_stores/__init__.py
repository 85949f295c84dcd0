"""Feature and graph store backends (memory, memmap, RocksDB, Kuzu), partitioning and distributed training on torch.distributed."""

from geode_core.data import InMemoryFeatureStore, InMemoryGraphStore

from .cache import CachedFeatureStore, CacheStats
from .disk_graph import DiskGraphStore
from .keyed_sampling import NeighborSample
from .kuzu import KuzuFeatureStore, KuzuGraphStore, to_kuzu
from .memmap import MemmapFeatureStore, StoreCorruptedError
from .rocksdb import RocksDBFeatureStore

__version__ = "0.1.0"

__all__: list[str] = [
    "InMemoryFeatureStore", "InMemoryGraphStore", "DiskGraphStore", "NeighborSample",
    "CachedFeatureStore", "CacheStats", "MemmapFeatureStore", "StoreCorruptedError", "RocksDBFeatureStore",
    "KuzuFeatureStore", "KuzuGraphStore", "to_kuzu",
]
