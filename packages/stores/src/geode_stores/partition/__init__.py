"""Graph partitioning: partitioners, partition books and the on-disk partition format."""

from .book import PartitionBook
from .partitioner import Partition, Partitioner, load_partition, partition_stats
from .strategies import STRATEGIES

__all__ = ["Partitioner", "PartitionBook", "Partition", "load_partition", "partition_stats",
           "STRATEGIES"]
