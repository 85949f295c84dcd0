"""Motif generators: each returns a small labelled :class:`Data` (``edge_index``, ``y``, ``num_nodes``).

Node labels of a motif start at 1 (0 is the base graph's label in planted datasets); the
node a planted motif is attached through is node 0.
"""

from __future__ import annotations

import torch

from ...data import Data
from ..graph_generator.base import undirected_graph
from ..graph_generator.grid_graph import grid_pairs


class MotifGenerator:
    """Base class: ``motif()`` returns the motif :class:`Data`."""

    def __call__(self) -> Data:
        return self.generate()

    def generate(self) -> Data:
        raise NotImplementedError(f"{type(self).__name__} must implement generate()")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class CustomMotif(MotifGenerator):
    """A fixed motif given as a :class:`Data` with ``edge_index`` (and optionally ``y``; every
    node gets label 1 otherwise)."""

    def __init__(self, structure: Data):
        if not isinstance(structure, Data) or structure.get("edge_index") is None:
            raise TypeError(f"CustomMotif: structure must be a Data with edge_index, got {structure!r}")
        self.structure = structure

    def generate(self) -> Data:
        out = self.structure.clone()
        n = out.num_nodes
        out.num_nodes = n
        if out.get("y") is None:
            out.y = torch.ones(n, dtype=torch.long)
        return out


def _motif(pairs: list[tuple[int, int]], labels: list[int]) -> Data:
    data = undirected_graph(torch.tensor(pairs, dtype=torch.long).t(), len(labels))
    data.y = torch.tensor(labels, dtype=torch.long)
    return data


class HouseMotif(MotifGenerator):
    """The 5-node house: a square (nodes 0-1 bottom, 2-3 middle) under a roof (node 4).

    Labels: roof 1, middle 2, bottom 3 (the GNNExplainer BA-shapes roles).
    """

    def generate(self) -> Data:
        return _motif([(0, 1), (0, 2), (1, 3), (2, 3), (2, 4), (3, 4)], [3, 3, 2, 2, 1])


class CycleMotif(MotifGenerator):
    """A cycle of ``num_nodes`` nodes, every node labelled 1."""

    def __init__(self, num_nodes: int):
        if num_nodes < 3:
            raise ValueError(f"CycleMotif: num_nodes must be >= 3, got {num_nodes}")
        self.num_nodes = int(num_nodes)

    def generate(self) -> Data:
        n = self.num_nodes
        return _motif([(i, (i + 1) % n) for i in range(n)], [1] * n)

    def __repr__(self) -> str:
        return f"CycleMotif({self.num_nodes})"


class GridMotif(MotifGenerator):
    """A 3x3 grid: corners labelled 1, edge midpoints 2, the centre 3."""

    def generate(self) -> Data:
        pairs = [tuple(p) for p in grid_pairs(3, 3).t().tolist()]
        return _motif(pairs, [1, 2, 1, 2, 3, 2, 1, 2, 1])


_BY_NAME = {"house": HouseMotif, "cycle": CycleMotif, "grid": GridMotif}
_DEFAULT_KWARGS = {"cycle": {"num_nodes": 5}}


def resolve_motif(motif: MotifGenerator | str, kwargs: dict | None = None) -> MotifGenerator:
    """A motif generator from an instance, or from a name (``"house"``, ``"cycle"`` (5 nodes
    unless ``kwargs`` say otherwise), ``"grid"``) and its keyword arguments."""
    if isinstance(motif, MotifGenerator):
        return motif
    if isinstance(motif, str) and motif in _BY_NAME:
        return _BY_NAME[motif](**{**_DEFAULT_KWARGS.get(motif, {}), **(kwargs or {})})
    raise ValueError(f"motif_generator must be a MotifGenerator or one of 'house', 'cycle', "
                     f"'grid', got {motif!r}")
