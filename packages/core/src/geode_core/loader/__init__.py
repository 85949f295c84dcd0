"""Mini-batch loaders over graph datasets."""

from .dataloader import Collater, DataLoader

__all__ = ["DataLoader", "Collater"]
