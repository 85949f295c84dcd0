"""Datasets: base classes, built-in benchmark loaders and synthetic explanation benchmarks."""

from . import graph_generator, motif_generator
from .dataset import Dataset, InMemoryDataset
from .explainer_dataset import ExplainerDataset, GraphMotifDataset
from .karate import KarateClub
from .planetoid import Planetoid
from .tu_dataset import TUDataset

__all__ = ["Dataset", "InMemoryDataset", "KarateClub", "Planetoid", "TUDataset",
           "ExplainerDataset", "GraphMotifDataset", "graph_generator", "motif_generator"]
