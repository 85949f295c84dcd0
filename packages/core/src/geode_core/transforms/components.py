"""Transforms that keep a part of the node set."""

from __future__ import annotations

import torch

from ..data import Data
from ..utils import connected_components
from .base import BaseTransform


class RemoveIsolatedNodes(BaseTransform):
    """Drop nodes that appear in no edge (a node with only a self loop stays), with their
    node attributes; edges are relabelled."""

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        keep = torch.zeros(n, dtype=torch.bool, device=data.edge_index.device)
        keep[data.edge_index.reshape(-1)] = True
        return data if bool(keep.all()) else data.subgraph(keep)


class LargestConnectedComponents(BaseTransform):
    """Keep the ``num_components`` largest connected components (``connection`` ``'weak'``
    or ``'strong'``); ties in size go to the component with the smaller first node."""

    def __init__(self, num_components: int = 1, connection: str = "weak") -> None:
        if num_components < 1:
            raise ValueError(f"LargestConnectedComponents: num_components must be >= 1, got "
                             f"{num_components}")
        if connection not in ("weak", "strong"):
            raise ValueError(f"LargestConnectedComponents: connection must be 'weak' or "
                             f"'strong', got {connection!r}")
        self.num_components, self.connection = num_components, connection

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        count, comp = connected_components(data.edge_index, n, self.connection)
        if count <= self.num_components:
            return data
        sizes = torch.bincount(comp, minlength=count)
        order = torch.sort(-sizes, stable=True).indices[: self.num_components]
        keep = torch.zeros(count, dtype=torch.bool, device=comp.device)
        keep[order] = True
        return data.subgraph(keep[comp])

    def __repr__(self) -> str:
        return f"LargestConnectedComponents({self.num_components})"
