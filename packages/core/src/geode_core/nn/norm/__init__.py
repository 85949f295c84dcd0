"""Normalisation layers for node features of (batches of) graphs."""

from .batch_norm import BatchNorm
from .graph_norm import GraphNorm
from .graph_size_norm import GraphSizeNorm
from .instance_norm import InstanceNorm
from .layer_norm import LayerNorm
from .msg_norm import MessageNorm
from .pair_norm import PairNorm

__all__ = ["BatchNorm", "LayerNorm", "GraphNorm", "InstanceNorm", "PairNorm", "GraphSizeNorm",
           "MessageNorm"]
