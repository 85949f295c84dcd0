"""Erdős-Rényi random graphs."""

from __future__ import annotations

import torch

from ...data import Data
from .base import GraphGenerator, undirected_graph


class ERGraph(GraphGenerator):
    """Erdős-Rényi graph: each of the ``num_nodes * (num_nodes - 1) / 2`` node pairs is an
    (undirected) edge with probability ``edge_prob``."""

    def __init__(self, num_nodes: int, edge_prob: float):
        if num_nodes < 1:
            raise ValueError(f"ERGraph: num_nodes must be >= 1, got {num_nodes}")
        if not 0.0 <= edge_prob <= 1.0:
            raise ValueError(f"ERGraph: edge_prob must be in [0, 1], got {edge_prob}")
        self.num_nodes, self.edge_prob = int(num_nodes), float(edge_prob)

    def generate(self) -> Data:
        row, col = torch.triu_indices(self.num_nodes, self.num_nodes, offset=1)
        keep = torch.rand(row.numel()) < self.edge_prob
        return undirected_graph(torch.stack([row[keep], col[keep]]), self.num_nodes)
