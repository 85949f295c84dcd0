"""How big a graph is, per node type and edge type: the unit every budget is counted in.

A homogeneous :class:`~geode_core.data.Data` has one node type and one edge type, both
named ``None``; a :class:`~geode_core.data.HeteroData` has one entry per type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geode_core.data import HeteroData


@dataclass
class GraphSize:
    """Nodes per node type and edges per edge type (``None`` keys for homogeneous graphs)."""

    nodes: dict[Any, int] = field(default_factory=dict)
    edges: dict[Any, int] = field(default_factory=dict)

    @classmethod
    def of(cls, data) -> GraphSize:
        if isinstance(data, HeteroData):
            return cls({t: int(data[t].num_nodes or 0) for t in data.node_types},
                       {t: int(data[t].num_edges) for t in data.edge_types})
        return cls({None: int(data.num_nodes or 0)}, {None: int(data.num_edges)})

    def __add__(self, other: GraphSize) -> GraphSize:
        return GraphSize({k: self.nodes.get(k, 0) + other.nodes.get(k, 0)
                          for k in {**self.nodes, **other.nodes}},
                         {k: self.edges.get(k, 0) + other.edges.get(k, 0)
                          for k in {**self.edges, **other.edges}})


def dataset_sizes(dataset, sample_limit: int | None = None) -> list[GraphSize]:
    """The size of each of the first ``sample_limit`` graphs (all when None)."""
    count = len(dataset) if sample_limit is None else min(len(dataset), int(sample_limit))
    return [GraphSize.of(dataset[i]) for i in range(count)]
