"""Feature and graph store backends (memory, memmap, RocksDB, Kuzu), partitioning and distributed training on torch.distributed."""

from geode_core.data import InMemoryFeatureStore, InMemoryGraphStore

from .cache import CachedFeatureStore, CacheStats
from .disk_graph import DiskGraphStore
from .distributed import (
    DistContext,
    DistFeatureStore,
    DistNeighborLoader,
    DistNeighborSampler,
    DistributedError,
    launch_local,
)
from .keyed_sampling import NeighborSample
from .kuzu import KuzuFeatureStore, KuzuGraphStore, to_kuzu
from .memmap import MemmapFeatureStore, StoreCorruptedError
from .partition import Partition, PartitionBook, Partitioner, load_partition, partition_stats
from .rocksdb import RocksDBFeatureStore

__version__ = "0.1.0"

__all__: list[str] = [
    "InMemoryFeatureStore", "InMemoryGraphStore", "MemmapFeatureStore", "RocksDBFeatureStore",
    "KuzuFeatureStore", "KuzuGraphStore", "to_kuzu", "DiskGraphStore", "CachedFeatureStore",
    "CacheStats", "NeighborSample", "StoreCorruptedError",
    "Partitioner", "PartitionBook", "Partition", "load_partition", "partition_stats",
    "DistContext", "DistFeatureStore", "DistNeighborSampler", "DistNeighborLoader",
    "DistributedError", "launch_local",
]
