"""Transforms on node features."""

from __future__ import annotations

import torch

from ..data import Data, HeteroData
from ..utils import degree, one_hot
from .base import BaseTransform


class NormalizeFeatures(BaseTransform):
    """Scale each row of ``x`` (and other ``attrs``) to sum to one; zero rows stay zero.
    On :class:`HeteroData` every node type's attributes are scaled."""

    def __init__(self, attrs: list[str] | tuple[str, ...] = ("x",)) -> None:
        self.attrs = list(attrs)

    def forward(self, data):
        stores = data.node_stores if isinstance(data, HeteroData) else [data]
        for store in stores:
            for key in self.attrs:
                if key in store:
                    value = store[key].to(torch.get_default_dtype()) \
                        if not store[key].is_floating_point() else store[key]
                    sums = value.sum(dim=-1, keepdim=True)
                    store[key] = torch.where(sums == 0, torch.zeros_like(value), value / sums)
        return data


class Constant(BaseTransform):
    """Append (or set, with ``cat=False``) a constant feature ``value`` to every node."""

    def __init__(self, value: float = 1.0, cat: bool = True) -> None:
        self.value, self.cat = value, cat

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        const = torch.full((n, 1), float(self.value))
        x = data.get("x")
        if x is not None and self.cat:
            x = x.view(-1, 1) if x.dim() == 1 else x
            data.x = torch.cat([x, const.to(x.dtype).to(x.device)], dim=-1)
        else:
            data.x = const
        return data

    def __repr__(self) -> str:
        return f"Constant(value={self.value})"


class OneHotDegree(BaseTransform):
    """Append the one-hot node degree (``in_degree``: count targets) clipped by ``max_degree``,
    which must bound every degree: larger degrees raise instead of being truncated."""

    def __init__(self, max_degree: int, in_degree: bool = False, cat: bool = True) -> None:
        self.max_degree, self.in_degree, self.cat = max_degree, in_degree, cat

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        ei = data.edge_index
        deg = degree(ei[1] if self.in_degree else ei[0], n, dtype=torch.long)
        if deg.numel() and int(deg.max()) > self.max_degree:
            raise ValueError(f"OneHotDegree: max_degree={self.max_degree} but a node has degree "
                             f"{int(deg.max())}")
        feats = one_hot(deg, self.max_degree + 1)
        x = data.get("x")
        if x is not None and self.cat:
            x = x.view(-1, 1) if x.dim() == 1 else x
            data.x = torch.cat([x, feats.to(x.dtype)], dim=-1)
        else:
            data.x = feats
        return data

    def __repr__(self) -> str:
        return f"OneHotDegree({self.max_degree})"
