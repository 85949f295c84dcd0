"""Graph convolution layers."""

from .appnp import APPNP
from .cheb_conv import ChebConv
from .cluster_gcn_conv import ClusterGCNConv
from .dir_gnn_conv import DirGNNConv
from .edge_conv import DynamicEdgeConv, EdgeConv
from .gat_conv import GATConv
from .gated_graph_conv import GatedGraphConv
from .gatv2_conv import GATv2Conv
from .gcn2_conv import GCN2Conv
from .gcn_conv import GCNConv, gcn_norm
from .gen_conv import GENConv
from .gin_conv import GINConv
from .gine_conv import GINEConv
from .gps_conv import GPSConv
from .graph_conv import GraphConv
from .lg_conv import LGConv
from .linear_propagation import LinearPropagation
from .mixhop_conv import MixHopConv
from .nn_conv import NNConv
from .pna_conv import PNAConv
from .res_gated_graph_conv import ResGatedGraphConv
from .sage_conv import SAGEConv
from .sg_conv import SGConv
from .simple_conv import SimpleConv
from .tag_conv import TAGConv
from .transformer_conv import TransformerConv

__all__ = [
    "GCNConv", "SAGEConv", "GINConv", "GINEConv", "GraphConv", "GATConv", "GATv2Conv",
    "TransformerConv", "ChebConv", "SGConv", "APPNP", "TAGConv", "GCN2Conv", "LGConv",
    "SimpleConv", "ResGatedGraphConv", "EdgeConv", "DynamicEdgeConv", "NNConv", "GENConv",
    "PNAConv", "GatedGraphConv", "ClusterGCNConv", "MixHopConv", "DirGNNConv", "GPSConv",
    "gcn_norm", "LinearPropagation",
]
