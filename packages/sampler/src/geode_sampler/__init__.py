"""Samplers and mini-batch loaders (neighbor, link, cluster, GraphSAINT, ...) in vectorised PyTorch: no compiled extension to install."""

from .base import BaseSampler, EdgeSamplerInput, NegativeSampling, NodeSamplerInput
from .csr import CompressedGraph, to_csc, to_csr
from .hgt_sampler import HGTSampler
from .loader import *  # noqa: F403
from .loader import __all__ as _loaders
from .neighbor_sampler import NeighborSampler
from .neighbor_sampling import SamplerOutput, sample_neighbors
from .typed_sampling import HeteroSamplerOutput

__version__ = "0.1.0"

__all__: list[str] = [
    "BaseSampler", "CompressedGraph", "EdgeSamplerInput", "HGTSampler", "HeteroSamplerOutput",
    "NegativeSampling", "NeighborSampler", "NodeSamplerInput", "SamplerOutput", "sample_neighbors",
    "to_csc", "to_csr", *_loaders,
]
