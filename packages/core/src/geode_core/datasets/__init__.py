"""Datasets: base classes and built-in benchmark loaders."""

from .dataset import Dataset, InMemoryDataset
from .karate import KarateClub
from .planetoid import Planetoid
from .tu_dataset import TUDataset

__all__ = ["Dataset", "InMemoryDataset", "KarateClub", "Planetoid", "TUDataset"]
