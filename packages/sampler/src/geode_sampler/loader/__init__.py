"""Mini-batch loaders built on the samplers."""

from .cached import CachedLoader
from .cluster import ClusterData, ClusterLoader
from .graph_saint import (
    GraphSAINTEdgeSampler,
    GraphSAINTNodeSampler,
    GraphSAINTRandomWalkSampler,
    GraphSAINTSampler,
)
from .hgt_loader import HGTLoader
from .imbalanced_sampler import ImbalancedSampler
from .link_loader import LinkLoader
from .link_neighbor_loader import LinkNeighborLoader
from .neighbor_loader import NeighborLoader
from .node_loader import NodeLoader
from .prefetch import PrefetchLoader
from .random_node_loader import RandomNodeLoader
from .shadow import ShaDowKHopSampler

__all__ = [
    "CachedLoader", "ClusterData", "ClusterLoader", "GraphSAINTEdgeSampler", "GraphSAINTNodeSampler",
    "GraphSAINTRandomWalkSampler", "GraphSAINTSampler", "HGTLoader", "ImbalancedSampler", "LinkLoader",
    "LinkNeighborLoader", "NeighborLoader", "NodeLoader", "PrefetchLoader", "RandomNodeLoader",
    "ShaDowKHopSampler",
]
