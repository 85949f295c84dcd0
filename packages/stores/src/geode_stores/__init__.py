"""Feature and graph store backends (memory, memmap, RocksDB, Kuzu), partitioning and distributed training on torch.distributed."""

__version__ = "0.1.0"

__all__: list[str] = []
