"""Heterogeneous GNNs: to_hetero, HeteroConv, typed linear layers and relational convolutions."""

from .hetero_conv import HeteroConv
from .hgt_conv import HGTConv
from .linear import HeteroDictLinear, HeteroLinear
from .rgcn_conv import FastRGCNConv, RGCNConv
from .to_hetero import ConversionError, to_hetero

__version__ = "0.1.0"

__all__ = ["ConversionError", "FastRGCNConv", "HeteroConv", "HeteroDictLinear", "HeteroLinear", "HGTConv", "RGCNConv", "to_hetero"]
