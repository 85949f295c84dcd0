"""Mini-batch loaders built on the samplers."""

from .link_loader import LinkLoader
from .link_neighbor_loader import LinkNeighborLoader
from .neighbor_loader import NeighborLoader
from .node_loader import NodeLoader

__all__ = ["LinkLoader", "LinkNeighborLoader", "NeighborLoader", "NodeLoader"]
