"""Neural-network modules: message passing, convolutions, models, pooling and norms."""

from . import aggr as aggr
from .conv import GATConv, GCNConv, GINConv, GINEConv, GraphConv, SAGEConv
from .message_passing import MessagePassing

__all__ = [
    "MessagePassing", "GATConv", "GCNConv", "GINConv", "GINEConv", "GraphConv", "SAGEConv",
]
