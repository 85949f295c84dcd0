"""Synthetic graphs with planted motifs: explanation benchmarks with ground-truth masks.

Every graph carries ``node_mask`` and ``edge_mask`` (bool): True on the nodes and on the
edges inside planted motifs. Neither dataset sets ``x``; add features with a transform
(e.g. :class:`~geode_core.transforms.Constant`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from ..data import Data
from .dataset import InMemoryDataset
from .graph_generator import BAGraph, ERGraph, GraphGenerator, GridGraph
from .motif_generator import MotifGenerator, resolve_motif

_GRAPHS = {"bagraph": BAGraph, "ba": BAGraph, "ergraph": ERGraph, "er": ERGraph,
           "gridgraph": GridGraph, "grid": GridGraph}


def resolve_graph_generator(generator: GraphGenerator | str, kwargs: dict | None) -> GraphGenerator:
    """A graph generator from an instance, or from a name (``"BAGraph"``...) and its kwargs."""
    if isinstance(generator, GraphGenerator):
        return generator
    cls = _GRAPHS.get(generator.lower()) if isinstance(generator, str) else None
    if cls is None:
        raise ValueError(f"graph_generator must be a GraphGenerator or one of 'BAGraph', "
                         f"'ERGraph', 'GridGraph', got {generator!r}")
    return cls(**(kwargs or {}))


def plant_motifs(base: Data, motifs: Sequence[Data]) -> Data:
    """``base`` with each motif appended and tied to a uniformly drawn base node by one edge
    (to the motif's node 0). Adds ``y`` (0 on base nodes, the motif's labels on its nodes),
    ``node_mask`` and ``edge_mask`` (True inside motifs; the tying edges are False)."""
    num_base = base.num_nodes
    pieces, flags, labels = [base.edge_index], [torch.zeros(base.num_edges, dtype=torch.bool)], \
        [torch.zeros(num_base, dtype=torch.long)]
    offset = num_base
    for motif in motifs:
        pieces.append(motif.edge_index + offset)
        flags.append(torch.ones(motif.num_edges, dtype=torch.bool))
        anchor = int(torch.randint(num_base, ()))
        pieces.append(torch.tensor([[anchor, offset], [offset, anchor]]))
        flags.append(torch.zeros(2, dtype=torch.bool))
        labels.append(motif.y)
        offset += motif.num_nodes
    edge_index, edge_mask = torch.cat(pieces, dim=1), torch.cat(flags)
    order = (edge_index[0] * offset + edge_index[1]).argsort()
    node_mask = torch.zeros(offset, dtype=torch.bool)
    node_mask[num_base:] = True
    return Data(edge_index=edge_index[:, order], y=torch.cat(labels), node_mask=node_mask,
                edge_mask=edge_mask[order], num_nodes=offset)


class ExplainerDataset(InMemoryDataset):
    """Node-level benchmark: ``num_graphs`` base graphs, each with ``num_motifs`` motifs planted.

    ``ExplainerDataset(graph_generator=BAGraph(300, 5), motif_generator="house", num_motifs=80)``
    is BA-shapes: node labels 0 (base), 1 (roof), 2 (middle), 3 (bottom).

    Args:
        graph_generator: a :class:`GraphGenerator` or its name (with ``graph_generator_kwargs``).
        motif_generator: a :class:`MotifGenerator` or ``"house"``, ``"cycle"``, ``"grid"``
            (with ``motif_generator_kwargs``).
        num_motifs: motifs planted per graph.
        num_graphs: graphs to generate.
        transform: applied on access.
    """

    def __init__(self, graph_generator: GraphGenerator | str, motif_generator: MotifGenerator | str,
                 num_motifs: int, num_graphs: int = 1, graph_generator_kwargs: dict | None = None,
                 motif_generator_kwargs: dict | None = None, transform: Callable | None = None):
        super().__init__(None, transform)
        if num_motifs < 0 or num_graphs < 1:
            raise ValueError(f"ExplainerDataset: need num_motifs >= 0 and num_graphs >= 1, got "
                             f"num_motifs={num_motifs}, num_graphs={num_graphs}")
        self.graph_generator = resolve_graph_generator(graph_generator, graph_generator_kwargs)
        self.motif_generator = resolve_motif(motif_generator, motif_generator_kwargs)
        self._data_list = [
            plant_motifs(self.graph_generator(), [self.motif_generator() for _ in range(num_motifs)])
            for _ in range(num_graphs)
        ]

    def __repr__(self) -> str:
        return (f"ExplainerDataset({len(self)}, graph_generator={self.graph_generator}, "
                f"motif_generator={self.motif_generator})")


class GraphMotifDataset(InMemoryDataset):
    """Graph-level benchmark: each graph is a base graph with one motif planted, and its
    label ``y`` (shape ``[1]``) is the index of that motif in ``motif_generators``.

    ``GraphMotifDataset(BAGraph(20, 1), ["house", "cycle"], num_graphs=1000)`` is BA-2Motifs.
    Motif types alternate so the classes are balanced; node labels are kept as ``node_y``.
    """

    def __init__(self, graph_generator: GraphGenerator | str,
                 motif_generators: Sequence[MotifGenerator | str], num_graphs: int,
                 graph_generator_kwargs: dict | None = None, transform: Callable | None = None):
        super().__init__(None, transform)
        if num_graphs < 1 or len(motif_generators) < 1:
            raise ValueError(f"GraphMotifDataset: need num_graphs >= 1 and at least one motif, got "
                             f"num_graphs={num_graphs}, {len(motif_generators)} motifs")
        self.graph_generator = resolve_graph_generator(graph_generator, graph_generator_kwargs)
        self.motif_generators = [resolve_motif(m) for m in motif_generators]
        self._data_list = []
        for i in range(num_graphs):
            label = i % len(self.motif_generators)
            data = plant_motifs(self.graph_generator(), [self.motif_generators[label]()])
            data.node_y, data.y = data.y, torch.tensor([label])
            self._data_list.append(data)
