"""Samplers and mini-batch loaders (neighbor, link, cluster, GraphSAINT, ...) in vectorised PyTorch: no compiled extension to install."""

from .csr import CompressedGraph, to_csc, to_csr
from .neighbor_sampler import NeighborSampler
from .neighbor_sampling import SamplerOutput, sample_neighbors

__version__ = "0.1.0"

__all__: list[str] = [
    "CompressedGraph", "NeighborSampler", "SamplerOutput", "sample_neighbors", "to_csc", "to_csr",
]
