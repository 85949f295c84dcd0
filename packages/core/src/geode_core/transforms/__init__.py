"""Graph transforms: callables ``Data -> Data`` that compose with Compose."""

from .base import BaseTransform, Compose
from .components import LargestConnectedComponents, RemoveIsolatedNodes
from .device import ToDevice, ToSparseTensor
from .features import Constant, NormalizeFeatures, OneHotDegree
from .gcn_norm import GCNNorm
from .geometric import KNNGraph, RadiusGraph
from .link_split import RandomLinkSplit
from .pad import Pad
from .positional import AddLaplacianEigenvectorPE, AddRandomWalkPE
from .split import RandomNodeSplit
from .structure import AddRemainingSelfLoops, AddSelfLoops, RemoveSelfLoops, ToUndirected
from .virtual_node import VirtualNode

__all__ = [
    "BaseTransform",
    "Compose",
    "NormalizeFeatures",
    "AddSelfLoops",
    "AddRemainingSelfLoops",
    "RemoveSelfLoops",
    "ToUndirected",
    "RandomNodeSplit",
    "RandomLinkSplit",
    "Constant",
    "OneHotDegree",
    "GCNNorm",
    "ToDevice",
    "ToSparseTensor",
    "RemoveIsolatedNodes",
    "LargestConnectedComponents",
    "VirtualNode",
    "KNNGraph",
    "RadiusGraph",
    "AddLaplacianEigenvectorPE",
    "AddRandomWalkPE",
    "Pad",
]
