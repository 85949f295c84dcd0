"""Graph transforms: callables ``Data -> Data`` that compose with Compose."""

from .base import BaseTransform, Compose
from .features import Constant, NormalizeFeatures, OneHotDegree
from .split import RandomNodeSplit
from .structure import AddSelfLoops, RemoveSelfLoops, ToUndirected

__all__ = [
    "BaseTransform",
    "Compose",
    "NormalizeFeatures",
    "AddSelfLoops",
    "RemoveSelfLoops",
    "ToUndirected",
    "RandomNodeSplit",
    "Constant",
    "OneHotDegree",
]
