"""GCNNorm: store GCN's symmetric normalisation as edge weights."""

from __future__ import annotations

import torch

from ..data import Data
from ..nn.conv.gcn_conv import gcn_norm
from ..utils import add_remaining_self_loops
from .base import BaseTransform


class GCNNorm(BaseTransform):
    """Replace ``edge_weight`` by ``D^-1/2 (A + I) D^-1/2`` (degrees over targets).

    With ``add_self_loops`` every node without a loop gets one of weight 1 (existing loops
    keep their weight), as :func:`~geode_core.utils.add_remaining_self_loops` does.
    """

    def __init__(self, add_self_loops: bool = True) -> None:
        self.add_self_loops = add_self_loops

    def forward(self, data: Data) -> Data:
        n = data.num_nodes
        edge_index, weight = data.edge_index, data.get("edge_weight")
        if self.add_self_loops:
            if weight is None:
                weight = torch.ones(edge_index.size(1), device=edge_index.device)
            edge_index, weight = add_remaining_self_loops(edge_index, weight, 1.0, n)
        data.edge_index, data.edge_weight = gcn_norm(edge_index, weight, n, add_self_loops=False)
        return data

    def __repr__(self) -> str:
        return f"GCNNorm(add_self_loops={self.add_self_loops})"
