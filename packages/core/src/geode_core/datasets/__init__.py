"""Datasets: base classes and built-in benchmark loaders."""

from .dataset import Dataset, InMemoryDataset
from .download import download_url, extract_zip
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
    "download_url",
    "extract_zip",
]
