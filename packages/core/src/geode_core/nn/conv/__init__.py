"""Graph convolution layers."""

from .gat_conv import GATConv
from .gcn_conv import GCNConv, gcn_norm
from .gin_conv import GINConv
from .gine_conv import GINEConv
from .graph_conv import GraphConv
from .sage_conv import SAGEConv

__all__ = ["GATConv", "GCNConv", "GINConv", "GINEConv", "GraphConv", "SAGEConv", "gcn_norm"]
