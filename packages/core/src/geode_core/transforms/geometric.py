"""Graphs built from node positions: k nearest neighbours and radius balls."""

from __future__ import annotations

from ..data import Data
from ..utils import knn_graph, radius_graph, to_undirected
from .base import BaseTransform


def _replace_edges(data: Data, edge_index, force_undirected: bool) -> Data:
    n = int(data.num_nodes or 0)
    for key in [k for k, _ in data if k != "edge_index" and data.is_edge_attr(k)]:
        del data[key]
    if force_undirected:
        edge_index, _ = to_undirected(edge_index, num_nodes=n)
    data.edge_index = edge_index
    data.num_nodes = n
    return data


class KNNGraph(BaseTransform):
    """Replace the edges by a k-nearest-neighbour graph of ``pos`` (per graph of ``batch``);
    old edge attributes are dropped. See :func:`~geode_core.utils.knn_graph`."""

    def __init__(self, k: int = 6, loop: bool = False, force_undirected: bool = False,
                 flow: str = "source_to_target", cosine: bool = False) -> None:
        self.k, self.loop, self.force_undirected = k, loop, force_undirected
        self.flow, self.cosine = flow, cosine

    def forward(self, data: Data) -> Data:
        ei = knn_graph(data.pos, self.k, data.get("batch"), self.loop, self.flow, self.cosine)
        return _replace_edges(data, ei, self.force_undirected)

    def __repr__(self) -> str:
        return f"KNNGraph(k={self.k})"


class RadiusGraph(BaseTransform):
    """Replace the edges by joining nodes whose ``pos`` are closer than ``r`` (per graph of
    ``batch``); see :func:`~geode_core.utils.radius_graph`."""

    def __init__(self, r: float, loop: bool = False, max_num_neighbors: int = 32,
                 flow: str = "source_to_target") -> None:
        self.r, self.loop, self.max_num_neighbors, self.flow = r, loop, max_num_neighbors, flow

    def forward(self, data: Data) -> Data:
        ei = radius_graph(data.pos, self.r, data.get("batch"), self.loop,
                          self.max_num_neighbors, self.flow)
        return _replace_edges(data, ei, False)

    def __repr__(self) -> str:
        return f"RadiusGraph(r={self.r})"
