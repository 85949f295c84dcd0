"""Barabási-Albert preferential-attachment graphs."""

from __future__ import annotations

import torch

from ...data import Data
from .base import GraphGenerator, undirected_graph


class BAGraph(GraphGenerator):
    """Barabási-Albert graph: ``num_nodes`` nodes, each new node linked to ``num_edges``
    distinct earlier nodes chosen with probability proportional to their degree.

    The first ``num_edges`` nodes start unconnected and the first arriving node links to
    all of them, so the graph is connected with ``(num_nodes - num_edges) * num_edges``
    undirected edges (stored in both directions, coalesced).
    """

    def __init__(self, num_nodes: int, num_edges: int):
        if num_edges < 1:
            raise ValueError(f"BAGraph: num_edges must be >= 1, got {num_edges}")
        if num_nodes <= num_edges:
            raise ValueError(f"BAGraph: num_nodes must exceed num_edges={num_edges}, got {num_nodes}")
        self.num_nodes, self.num_edges = int(num_nodes), int(num_edges)

    def generate(self) -> Data:
        m = self.num_edges
        targets = list(range(m))
        endpoints: list[int] = []  # every node once per incident edge: degree-weighted draws
        pairs: list[tuple[int, int]] = []
        for node in range(m, self.num_nodes):
            pairs.extend((node, t) for t in targets)
            endpoints.extend(targets)
            endpoints.extend([node] * m)
            chosen: set[int] = set()
            while len(chosen) < m:
                chosen.add(endpoints[int(torch.randint(len(endpoints), ()))])
            targets = sorted(chosen)
        return undirected_graph(torch.tensor(pairs, dtype=torch.long).t(), self.num_nodes)
