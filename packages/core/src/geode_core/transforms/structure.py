"""Transforms on graph structure."""

from __future__ import annotations

import torch

from ..data import Data
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


class ToUndirected(BaseTransform):
    """Add reverse edges and merge duplicates; edge attributes are combined with ``reduce``."""

    def __init__(self, reduce: str = "sum") -> None:
        self.reduce = reduce

    def forward(self, data: Data) -> Data:
        n = data.num_nodes
        keys = _edge_keys(data)
        if not keys:
            data.edge_index, _ = to_undirected(data.edge_index, None, n, self.reduce)
            return data
        shapes = [data[k].shape[1:] for k in keys]
        flat = torch.cat([data[k].reshape(data[k].size(0), -1).to(torch.float64) for k in keys], 1)
        ei, flat = to_undirected(data.edge_index, flat, n, self.reduce)
        data.edge_index = ei
        start = 0
        for key, shape in zip(keys, shapes):
            width = int(torch.tensor(shape).prod()) if len(shape) else 1
            dtype = data[key].dtype
            data[key] = flat[:, start:start + width].reshape(-1, *shape).to(dtype)
            start += width
        return data

    def __repr__(self) -> str:
        return f"ToUndirected(reduce={self.reduce!r})"
