"""Pad: fixed node and edge counts, for static-shape compilation and accelerators."""

from __future__ import annotations

import torch
from torch import Tensor

from ..data import Data
from .base import BaseTransform

PadValue = float | dict[str, float]


def _value_for(spec: PadValue, key: str, value: Tensor, mask_value: bool) -> float | bool:
    if value.dtype == torch.bool:
        return mask_value
    if isinstance(spec, dict):
        return spec.get(key, 0.0)
    return spec


def _pad_rows(value: Tensor, rows: int, fill) -> Tensor:
    return torch.cat([value, value.new_full((rows, *value.shape[1:]), fill)], 0)


class Pad(BaseTransform):
    """Pad a graph to exactly ``max_num_nodes`` nodes and ``max_num_edges`` edges.

    Node attributes get ``node_pad_value`` rows, edge attributes ``edge_pad_value`` rows
    (a float, or a dict from attribute name to value, others 0); bool attributes get
    ``mask_pad_value``. Padding edges are self loops on the last padding node, so they
    need at least one padding node. ``add_pad_mask`` adds ``pad_node_mask`` and
    ``pad_edge_mask`` (True for real entries). ``max_num_edges=None`` pads nodes only.
    A graph larger than either target raises a ValueError; nothing is truncated.
    """

    def __init__(self, max_num_nodes: int, max_num_edges: int | None = None,
                 node_pad_value: PadValue = 0.0, edge_pad_value: PadValue = 0.0,
                 mask_pad_value: bool = False, add_pad_mask: bool = False,
                 exclude_keys: list[str] | None = None) -> None:
        self.max_num_nodes, self.max_num_edges = max_num_nodes, max_num_edges
        self.node_pad_value, self.edge_pad_value = node_pad_value, edge_pad_value
        self.mask_pad_value, self.add_pad_mask = mask_pad_value, add_pad_mask
        self.exclude_keys = set(exclude_keys or ())

    def forward(self, data: Data) -> Data:
        n, e = int(data.num_nodes or 0), data.num_edges
        if n > self.max_num_nodes:
            raise ValueError(f"Pad: the graph has {n} nodes but max_num_nodes="
                             f"{self.max_num_nodes}")
        max_e = e if self.max_num_edges is None else self.max_num_edges
        if e > max_e:
            raise ValueError(f"Pad: the graph has {e} edges but max_num_edges={max_e}")
        if max_e > e and n == self.max_num_nodes:
            raise ValueError(f"Pad: padding edges need a padding node, but the graph already "
                             f"has max_num_nodes={n} nodes; raise max_num_nodes")
        keys = [k for k, _ in data if k not in self.exclude_keys and k != "num_nodes"]
        node_keys = [k for k in keys if data.is_node_attr(k)]
        edge_keys = [k for k in keys if data.is_edge_attr(k)]
        for key in node_keys:
            value = data[key]
            fill = _value_for(self.node_pad_value, key, value, self.mask_pad_value)
            data[key] = _pad_rows(value, self.max_num_nodes - n, fill)
        for key in edge_keys:
            value = data[key]
            fill = _value_for(self.edge_pad_value, key, value, self.mask_pad_value)
            data[key] = _pad_rows(value, max_e - e, fill)
        if "edge_index" in data and "edge_index" not in self.exclude_keys:
            ei = data.edge_index
            pad = ei.new_full((2, max_e - e), self.max_num_nodes - 1)
            data.edge_index = torch.cat([ei, pad], 1)
        if self.add_pad_mask:
            data.pad_node_mask = torch.arange(self.max_num_nodes) < n
            data.pad_edge_mask = torch.arange(max_e) < e
        data.num_nodes = self.max_num_nodes
        return data

    def __repr__(self) -> str:
        return f"Pad(max_num_nodes={self.max_num_nodes}, max_num_edges={self.max_num_edges})"
