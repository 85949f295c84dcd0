"""Neural-network modules: message passing, convolutions, models, pooling and norms."""

from . import aggr as aggr
from . import models as models
from . import norm as norm
from . import pool as pool
from .conv import (
    APPNP,
    ChebConv,
    ClusterGCNConv,
    DirGNNConv,
    DynamicEdgeConv,
    EdgeConv,
    GATConv,
    GatedGraphConv,
    GATv2Conv,
    GCN2Conv,
    GCNConv,
    GENConv,
    GINConv,
    GINEConv,
    GPSConv,
    GraphConv,
    LGConv,
    MixHopConv,
    NNConv,
    PNAConv,
    ResGatedGraphConv,
    SAGEConv,
    SGConv,
    SimpleConv,
    TAGConv,
    TransformerConv,
)
from .message_passing import MessagePassing
from .models import GAT, GCN, GIN, MLP, PNA, BasicGNN, EdgeCNN, GraphSAGE, JumpingKnowledge
from .norm import (
    BatchNorm,
    GraphNorm,
    GraphSizeNorm,
    InstanceNorm,
    LayerNorm,
    MessageNorm,
    PairNorm,
)
from .pool import SAGPooling, TopKPooling, global_add_pool, global_max_pool, global_mean_pool
from .resolver import activation_resolver, aggregation_resolver, normalization_resolver

__all__ = [
    "MessagePassing",
    # convolutions
    "GCNConv", "SAGEConv", "GINConv", "GINEConv", "GraphConv", "GATConv", "GATv2Conv",
    "TransformerConv", "ChebConv", "SGConv", "APPNP", "TAGConv", "GCN2Conv", "LGConv",
    "SimpleConv", "ResGatedGraphConv", "EdgeConv", "DynamicEdgeConv", "NNConv", "GENConv",
    "PNAConv", "GatedGraphConv", "ClusterGCNConv", "MixHopConv", "DirGNNConv", "GPSConv",
    # models
    "MLP", "BasicGNN", "GCN", "GraphSAGE", "GIN", "GAT", "PNA", "EdgeCNN", "JumpingKnowledge",
    # pooling
    "global_add_pool", "global_mean_pool", "global_max_pool", "TopKPooling", "SAGPooling",
    # norms
    "BatchNorm", "LayerNorm", "GraphNorm", "InstanceNorm", "PairNorm", "GraphSizeNorm",
    "MessageNorm",
    # resolvers
    "activation_resolver", "normalization_resolver", "aggregation_resolver",
]
