"""Moving graphs between devices and into the cached sparse layout."""

from __future__ import annotations

from ..data import Data
from ..ops.adjacency import Adjacency
from .base import BaseTransform


class ToDevice(BaseTransform):
    """Move every tensor attribute (or only ``attrs``) to ``device``."""

    def __init__(self, device, attrs: list[str] | None = None, non_blocking: bool = False) -> None:
        self.device, self.attrs, self.non_blocking = device, list(attrs or []), non_blocking

    def forward(self, data: Data) -> Data:
        return data.to(self.device, *self.attrs, non_blocking=self.non_blocking)

    def __repr__(self) -> str:
        return f"ToDevice({self.device})"


class ToSparseTensor(BaseTransform):
    """Store the graph as ``data.adj_t``, an :class:`~geode_core.ops.Adjacency` (CSR with rows
    = targets, as PyG's ``adj_t``), with ``attr`` (default ``edge_weight``) as its values.

    Layers accept ``data.adj_t`` wherever they take ``edge_index``. With
    ``remove_edge_index`` the ``edge_index`` and ``attr`` attributes are dropped (and
    ``num_nodes`` kept explicitly).
    """

    def __init__(self, attr: str | None = "edge_weight", remove_edge_index: bool = True) -> None:
        self.attr, self.remove_edge_index = attr, remove_edge_index

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        value = data.get(self.attr) if self.attr is not None else None
        if value is not None and value.dim() != 1:
            raise ValueError(f"ToSparseTensor: {self.attr} must be one value per edge (shape "
                             f"[{data.num_edges}]), got {list(value.shape)}")
        data.adj_t = Adjacency.from_edge_index(data.edge_index, value, (n, n))
        if self.remove_edge_index:
            data.num_nodes = n
            del data["edge_index"]
            if self.attr is not None:
                del data[self.attr]
        return data

    def __repr__(self) -> str:
        return f"ToSparseTensor(attr={self.attr!r})"
