"""Heterogeneous GNNs: to_hetero, HeteroConv, typed linear layers and relational convolutions."""

from .bases import to_hetero_with_bases
from .han_conv import HANConv
from .hetero_conv import HeteroConv
from .hgt_conv import HGTConv
from .jumping_knowledge import HeteroJumpingKnowledge
from .linear import HeteroDictLinear, HeteroLinear
from .norm import HeteroBatchNorm, HeteroLayerNorm
from .rgat_conv import RGATConv
from .rgcn_conv import FastRGCNConv, RGCNConv
from .to_hetero import ConversionError, to_hetero

__version__ = "0.1.0"

__all__ = [
    "ConversionError", "FastRGCNConv", "HANConv", "HGTConv", "HeteroBatchNorm", "HeteroConv",
    "HeteroDictLinear", "HeteroJumpingKnowledge", "HeteroLayerNorm", "HeteroLinear", "RGATConv", "RGCNConv",
    "to_hetero", "to_hetero_with_bases",
]
