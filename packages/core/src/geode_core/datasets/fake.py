"""Random graphs for tests and benchmarks: FakeDataset and FakeHeteroDataset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from ..data import Data, HeteroData
from ..utils import coalesce, remove_self_loops, to_undirected
from .dataset import InMemoryDataset


def _resolve_task(task: str, num_graphs: int, cls: str) -> str:
    if task == "auto":
        return "node" if num_graphs == 1 else "graph"
    if task not in ("node", "graph"):
        raise ValueError(f"{cls}: task must be 'auto', 'node' or 'graph', got {task!r}")
    return task


def _vary(avg: int, vary: bool) -> int:
    """``avg`` itself, or a uniform draw from ``[avg / 2, 3 avg / 2]`` (at least 1)."""
    if not vary:
        return max(int(avg), 1)
    lo, hi = max(int(avg) // 2, 1), max(int(avg) * 3 // 2, 1)
    return int(torch.randint(lo, hi + 1, (1,)))


def _random_edges(num_src: int, num_dst: int, avg_degree: float, undirected: bool,
                  same_type: bool) -> Tensor:
    """About ``avg_degree`` edges per source node, no self loops (same node type), no
    duplicates; both directions when ``undirected``."""
    m = int(num_src * avg_degree / (2 if undirected else 1))
    ei = torch.stack([torch.randint(0, num_src, (m,)), torch.randint(0, num_dst, (m,))])
    if same_type:
        ei, _ = remove_self_loops(ei)
    if undirected:
        return to_undirected(ei, num_nodes=num_src)[0]
    return coalesce(ei, num_nodes=max(num_src, num_dst))[0]


def _edge_features(data, num_edges: int, edge_dim: int) -> None:
    if edge_dim > 1:
        data.edge_attr = torch.rand(num_edges, edge_dim)
    elif edge_dim == 1:
        data.edge_weight = torch.rand(num_edges)


def _extra_attrs(data, kwargs: dict[str, Any]) -> None:
    for key, shape in kwargs.items():
        data[key] = torch.randn(shape)


class FakeDataset(InMemoryDataset):
    """Random graphs with features that carry their labels' signal, built in memory.

    Each graph has ``avg_num_nodes`` nodes (drawn from ``[avg/2, 3avg/2]`` when
    ``num_graphs > 1``), about ``avg_degree`` edges per node (no self loops or duplicates),
    ``num_channels`` features (``x = randn + label``), ``edge_dim`` edge features (an
    ``edge_weight`` when 1), and ``num_classes`` labels per node (``task='node'``) or per
    graph (``'graph'``; ``'auto'`` picks node for one graph). Extra keyword arguments add
    random attributes of the given shapes (``global_features=5``). Uses the global torch RNG.
    """

    def __init__(self, num_graphs: int = 1, avg_num_nodes: int = 1000, avg_degree: float = 10.0,
                 num_channels: int = 64, edge_dim: int = 0, num_classes: int = 10,
                 task: str = "auto", is_undirected: bool = True,
                 transform: Callable | None = None, **kwargs: Any) -> None:
        super().__init__(None, transform)
        if num_graphs < 1 or avg_num_nodes < 1 or num_classes < 1:
            raise ValueError(f"FakeDataset: num_graphs, avg_num_nodes and num_classes must be "
                             f">= 1, got {num_graphs}, {avg_num_nodes}, {num_classes}")
        self.task = _resolve_task(task, num_graphs, "FakeDataset")
        self.avg_num_nodes, self.avg_degree, self.num_channels = avg_num_nodes, avg_degree, num_channels
        self.edge_dim, self._num_classes, self.is_undirected = edge_dim, num_classes, is_undirected
        self.kwargs = kwargs
        self._data_list = [self._graph(num_graphs > 1) for _ in range(num_graphs)]

    @property
    def num_classes(self) -> int:
        return self._num_classes

    def _graph(self, vary: bool) -> Data:
        n = _vary(self.avg_num_nodes, vary)
        data = Data(edge_index=_random_edges(n, n, self.avg_degree, self.is_undirected, True))
        data.num_nodes = n
        if self.task == "node":
            data.y = torch.randint(0, self._num_classes, (n,))
            signal = data.y.view(-1, 1)
        else:
            data.y = torch.randint(0, self._num_classes, (1,))
            signal = data.y.view(1, 1)
        if self.num_channels > 0:
            data.x = torch.randn(n, self.num_channels) + signal
        _edge_features(data, data.num_edges, self.edge_dim)
        _extra_attrs(data, self.kwargs)
        return data


class FakeHeteroDataset(InMemoryDataset):
    """Random heterogeneous graphs: node types ``v0 .. v{num_node_types-1}``, edge types
    ``(src, 'e{i}', dst)`` with random end types, node counts around ``avg_num_nodes``,
    about ``avg_degree`` edges per source node, feature widths around
    ``avg_num_channels``, ``edge_dim`` edge features, and labels on ``v0`` nodes
    (``task='node'``) or per graph (``'graph'``). Extra keyword arguments add random
    graph-level attributes of the given shapes."""

    def __init__(self, num_graphs: int = 1, num_node_types: int = 3, num_edge_types: int = 6,
                 avg_num_nodes: int = 1000, avg_degree: float = 10.0, avg_num_channels: int = 64,
                 edge_dim: int = 0, num_classes: int = 10, task: str = "auto",
                 transform: Callable | None = None, **kwargs: Any) -> None:
        super().__init__(None, transform)
        if num_node_types < 1 or num_edge_types < 1:
            raise ValueError(f"FakeHeteroDataset: num_node_types and num_edge_types must be "
                             f">= 1, got {num_node_types}, {num_edge_types}")
        self.task = _resolve_task(task, num_graphs, "FakeHeteroDataset")
        self.node_types = [f"v{i}" for i in range(num_node_types)]
        ends = torch.randint(0, num_node_types, (num_edge_types, 2)).tolist()
        self.edge_types = [(f"v{s}", f"e{i}", f"v{d}") for i, (s, d) in enumerate(ends)]
        self.num_channels = {nt: _vary(avg_num_channels, True) if avg_num_channels > 0 else 0
                             for nt in self.node_types}
        self.avg_num_nodes, self.avg_degree, self.edge_dim = avg_num_nodes, avg_degree, edge_dim
        self._num_classes, self.kwargs = num_classes, kwargs
        self._data_list = [self._graph(num_graphs > 1) for _ in range(num_graphs)]

    @property
    def num_classes(self) -> int:
        return self._num_classes

    def _graph(self, vary: bool) -> HeteroData:
        data = HeteroData()
        for nt in self.node_types:
            n = _vary(self.avg_num_nodes, vary)
            store = data[nt]
            store.num_nodes = n
            if self.num_channels[nt]:
                store.x = torch.randn(n, self.num_channels[nt])
        if self.task == "node":
            data["v0"].y = torch.randint(0, self._num_classes, (data["v0"].num_nodes,))
        else:
            data.y = torch.randint(0, self._num_classes, (1,))
        for et in self.edge_types:
            src, _, dst = et
            ei = _random_edges(data[src].num_nodes, data[dst].num_nodes, self.avg_degree, False,
                               src == dst)
            data[et].edge_index = ei
            _edge_features(data[et], ei.size(1), self.edge_dim)
        _extra_attrs(data, self.kwargs)
        return data
