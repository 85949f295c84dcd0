"""Distributed feature lookup, neighbour sampling and loading on torch.distributed."""

from .context import DistContext
from .exchange import DistributedError
from .feature_store import DistFeatureStore
from .loader import DistNeighborLoader
from .local_launch import free_port, launch_local
from .sampler import DistNeighborSampler

__all__ = ["DistContext", "DistFeatureStore", "DistNeighborSampler", "DistNeighborLoader",
           "DistributedError", "launch_local", "free_port"]
