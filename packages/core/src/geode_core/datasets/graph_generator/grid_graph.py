"""Two-dimensional grid graphs."""

from __future__ import annotations

import torch

from ...data import Data
from .base import GraphGenerator, undirected_graph


def grid_pairs(height: int, width: int) -> torch.Tensor:
    """The ``[2, P]`` horizontal and vertical neighbour pairs of a row-major ``height x width`` grid."""
    ids = torch.arange(height * width).view(height, width)
    horizontal = torch.stack([ids[:, :-1].reshape(-1), ids[:, 1:].reshape(-1)])
    vertical = torch.stack([ids[:-1, :].reshape(-1), ids[1:, :].reshape(-1)])
    return torch.cat([horizontal, vertical], dim=1)


class GridGraph(GraphGenerator):
    """A ``height x width`` lattice: node ``r * width + c`` is linked to its 4 neighbours."""

    def __init__(self, height: int, width: int):
        if height < 1 or width < 1:
            raise ValueError(f"GridGraph: height and width must be >= 1, got {height}x{width}")
        self.height, self.width = int(height), int(width)

    def generate(self) -> Data:
        return undirected_graph(grid_pairs(self.height, self.width), self.height * self.width)
