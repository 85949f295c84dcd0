"""Graph containers (Data, HeteroData, Batch) and the feature/graph store interfaces."""

from .batch import Batch
from .data import Data
from .feature_store import AttrView, FeatureStore, TensorAttr
from .graph_store import EdgeAttr, EdgeLayout, GraphStore
from .hetero_batch import HeteroBatch
from .hetero_data import EdgeStore, HeteroData, NodeStore
from .memory_store import InMemoryFeatureStore, InMemoryGraphStore

__all__ = [
    "Data", "HeteroData", "Batch", "HeteroBatch", "NodeStore", "EdgeStore",
    "FeatureStore", "GraphStore", "TensorAttr", "EdgeAttr", "EdgeLayout", "AttrView",
    "InMemoryFeatureStore", "InMemoryGraphStore",
]
