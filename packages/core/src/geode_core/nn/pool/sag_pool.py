"""SAGPooling (Lee et al.): self-attention graph pooling with a GNN scoring the nodes."""

from __future__ import annotations

import torch
from torch import Tensor

from ..conv import GraphConv
from ..resolver import activation_resolver
from .topk_pool import pool_by_score


class SAGPooling(torch.nn.Module):
    """``y = GNN(X, A)``; keep the top nodes per graph; ``X' = (X * act(y))[kept]``.

    Args follow PyG: ``in_channels``, ``ratio``, ``GNN`` (a conv class built as
    ``GNN(in_channels, 1, **kwargs)``; default :class:`GraphConv`), ``min_score``,
    ``multiplier``, ``nonlinearity``. Returns as :class:`TopKPooling`.
    """

    def __init__(self, in_channels: int, ratio: float | int = 0.5, GNN=GraphConv,
                 min_score: float | None = None, multiplier: float = 1.0, nonlinearity="tanh",
                 **kwargs):
        super().__init__()
        self.in_channels, self.ratio, self.min_score = in_channels, ratio, min_score
        self.multiplier = multiplier
        self.gnn = GNN(in_channels, 1, **kwargs)
        self.nonlinearity = activation_resolver(nonlinearity) if isinstance(nonlinearity, str) \
            else nonlinearity

    def reset_parameters(self) -> None:
        self.gnn.reset_parameters()

    def score(self, attn: Tensor, edge_index: Tensor, batch: Tensor) -> Tensor:
        return self.gnn(attn, edge_index)

    def forward(self, x: Tensor, edge_index: Tensor, edge_attr: Tensor | None = None,
                batch: Tensor | None = None, attn: Tensor | None = None):
        return pool_by_score(self, x, edge_index, edge_attr, batch, attn)

    def __repr__(self) -> str:
        return f"SAGPooling({type(self.gnn).__name__}, {self.in_channels}, ratio={self.ratio})"
