"""Datasets: base classes, built-in benchmark loaders and synthetic explanation benchmarks."""

from . import graph_generator, motif_generator
from .dataset import Dataset, InMemoryDataset
from .download import download_url, extract_zip
from .explainer_dataset import ExplainerDataset, GraphMotifDataset
from .fake import FakeDataset, FakeHeteroDataset
from .karate import KarateClub
from .planetoid import Planetoid
from .sbm import StochasticBlockModelDataset
from .tu_dataset import TUDataset

__all__ = [
    "Dataset",
    "InMemoryDataset",
    "KarateClub",
    "Planetoid",
    "TUDataset",
    "FakeDataset",
    "FakeHeteroDataset",
    "StochasticBlockModelDataset",
    "ExplainerDataset",
    "GraphMotifDataset",
    "graph_generator",
    "motif_generator",
    "download_url",
    "extract_zip",
]
