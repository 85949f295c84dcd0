"""Heterogeneous GNNs: to_hetero, HeteroConv, typed linear layers and relational convolutions."""

from .hetero_conv import HeteroConv
from .linear import HeteroDictLinear, HeteroLinear
from .to_hetero import ConversionError, to_hetero

__version__ = "0.1.0"

__all__ = ["ConversionError", "HeteroConv", "HeteroDictLinear", "HeteroLinear", "to_hetero"]
