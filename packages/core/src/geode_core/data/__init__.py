"""Graph containers: Data, HeteroData, Batch."""

from .batch import Batch
from .data import Data
from .hetero_batch import HeteroBatch
from .hetero_data import EdgeStore, HeteroData, NodeStore

__all__ = ["Data", "HeteroData", "Batch", "HeteroBatch", "NodeStore", "EdgeStore"]
