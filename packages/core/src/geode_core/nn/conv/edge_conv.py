"""EdgeConv and DynamicEdgeConv: edge convolutions of DGCNN (Wang et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from ..message_passing import MessagePassing
from ._knn import knn_edges
from ._utils import pair


class EdgeConv(MessagePassing):
    """``x_i' = aggr_{j in N(i)} h([x_i, x_j - x_i])`` with ``h`` the given ``nn`` (default aggr ``"max"``)."""

    def __init__(self, nn: torch.nn.Module, aggr="max", **kwargs):
        super().__init__(aggr=aggr, **kwargs)
        self.nn = nn

    def reset_parameters(self) -> None:
        for module in self.nn.modules():
            if module is not self.nn and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(self, x, edge_index) -> Tensor:
        x_src, x_dst = pair(x)
        if x_dst is None:
            raise ValueError(f"{type(self).__name__} needs destination features (x_dst is None)")
        return self.propagate(edge_index, x=(x_src, x_dst))

    def message(self, x_i: Tensor, x_j: Tensor) -> Tensor:
        return self.nn(torch.cat([x_i, x_j - x_i], dim=-1))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(nn={self.nn})"


class DynamicEdgeConv(EdgeConv):
    """:class:`EdgeConv` over the k-nearest-neighbour graph of the input features.

    Args follow PyG: ``nn``, ``k``, ``aggr`` (default ``"max"``), ``num_workers`` (accepted;
    the pure-torch kNN uses torch's threads). ``forward(x, batch=None)``: the graph is
    rebuilt from ``x`` on every call (each point's ``k`` nearest points, itself included,
    within its graph of ``batch``).
    """

    def __init__(self, nn: torch.nn.Module, k: int, aggr="max", num_workers: int = 1, **kwargs):
        super().__init__(nn, aggr=aggr, **kwargs)
        if k < 1:
            raise ValueError(f"DynamicEdgeConv: k must be at least 1, got {k}")
        self.k, self.num_workers = k, num_workers

    def forward(self, x, batch=None) -> Tensor:
        x_src, x_dst = pair(x)
        b_src, b_dst = pair(batch)
        if x_dst is not x_src:
            raise ValueError("DynamicEdgeConv builds its graph from one point set; pass x, not a pair")
        if b_src is not b_dst:
            raise ValueError("DynamicEdgeConv: pass one batch vector")
        edge_index = knn_edges(x_src.detach(), self.k, b_src)
        return self.propagate(edge_index, x=(x_src, x_src))

    def __repr__(self) -> str:
        return f"DynamicEdgeConv(nn={self.nn}, k={self.k})"
