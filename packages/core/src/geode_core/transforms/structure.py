"""Transforms on graph structure."""

from __future__ import annotations

import torch
from torch import Tensor

from ..data import Data, HeteroData
from ..utils import add_remaining_self_loops, add_self_loops, remove_self_loops, to_undirected
from .base import BaseTransform


def _edge_keys(data: Data) -> list[str]:
    return [k for k, _ in data if k != "edge_index" and data.is_edge_attr(k)]


class AddSelfLoops(BaseTransform):
    """Add a loop to every node; edge attributes of new loops are ``fill_value``.

    With ``remaining=True`` only nodes without a loop get one."""

    def __init__(self, attr: str = "edge_weight", fill_value: float = 1.0,
                 remaining: bool = False) -> None:
        self.attr, self.fill_value, self.remaining = attr, fill_value, remaining

    def forward(self, data: Data) -> Data:
        n = data.num_nodes
        value = data.get(self.attr)
        fn = add_remaining_self_loops if self.remaining else add_self_loops
        data.edge_index, value = fn(data.edge_index, value, self.fill_value, n)
        if value is not None:
            data[self.attr] = value
        return data


class AddRemainingSelfLoops(AddSelfLoops):
    """Add a loop ``(i, i)`` to every node that has none; existing loops keep their ``attr``
    values and new loops get ``fill_value``."""

    def __init__(self, attr: str = "edge_weight", fill_value: float = 1.0) -> None:
        super().__init__(attr, fill_value, remaining=True)


class RemoveSelfLoops(BaseTransform):
    """Remove every edge ``(i, i)`` together with its edge attributes."""

    def forward(self, data: Data) -> Data:
        keys = _edge_keys(data)
        keep = data.edge_index[0] != data.edge_index[1]
        if "num_nodes" not in data:
            data.num_nodes = data.num_nodes
        for key in keys:
            data[key] = data[key][keep]
        data.edge_index, _ = remove_self_loops(data.edge_index)
        return data


def _undirect_store(store, keys: list[str], num_nodes: int, reduce: str) -> None:
    """Add reverse edges to ``store`` in place and merge duplicates, reducing ``keys``."""
    if not keys:
        store.edge_index, _ = to_undirected(store.edge_index, None, num_nodes, reduce)
        return
    shapes = [store[k].shape[1:] for k in keys]
    flat = torch.cat([store[k].reshape(store[k].size(0), -1).to(torch.float64) for k in keys], 1)
    store.edge_index, flat = to_undirected(store.edge_index, flat, num_nodes, reduce)
    start = 0
    for key, shape in zip(keys, shapes):
        width = int(torch.tensor(shape).prod()) if len(shape) else 1
        dtype = store[key].dtype
        store[key] = flat[:, start:start + width].reshape(-1, *shape).to(dtype)
        start += width


class ToUndirected(BaseTransform):
    """Add reverse edges and merge duplicates; edge attributes are combined with ``reduce``.

    On :class:`HeteroData`, an edge type between one node type is made undirected the same
    way; any other ``(src, rel, dst)`` gets a reverse type ``(dst, 'rev_' + rel, src)``
    with flipped edges and the same edge attributes (unless that type already exists).
    """

    def __init__(self, reduce: str = "sum") -> None:
        self.reduce = reduce

    def forward(self, data):
        if isinstance(data, HeteroData):
            return self._hetero(data)
        _undirect_store(data, _edge_keys(data), data.num_nodes, self.reduce)
        return data

    def _hetero(self, data: HeteroData) -> HeteroData:
        for (src, rel, dst), store in list(data._edges.items()):
            if "edge_index" not in store:
                continue
            keys = [k for k, v in store.items() if k != "edge_index" and isinstance(v, Tensor)
                    and v.dim() > 0 and v.size(0) == store.num_edges]
            if src == dst:
                _undirect_store(store, keys, int(data[src].num_nodes or 0), self.reduce)
            elif (dst, f"rev_{rel}", src) not in data.edge_types:
                reverse = data[dst, f"rev_{rel}", src]
                reverse.edge_index = store.edge_index.flip(0)
                for key in keys:
                    reverse[key] = store[key]
        return data

    def __repr__(self) -> str:
        return f"ToUndirected(reduce={self.reduce!r})"
