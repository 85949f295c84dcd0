"""TopKPooling (Gao & Ji; Cangea et al.): keep the best-scoring nodes of each graph."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from ..resolver import activation_resolver
from .select import filter_adj, topk


class TopKPooling(torch.nn.Module):
    """``y = X p / ||p||``; keep the top nodes per graph; ``X' = (X * act(y))[kept]``.

    Args follow PyG: ``in_channels``, ``ratio`` (float in (0, 1] or a count), ``min_score``
    (keep nodes whose softmax score exceeds it instead; the score is then a per-graph
    softmax), ``multiplier``, ``nonlinearity`` (name or callable, default ``"tanh"``).
    ``forward(x, edge_index, edge_attr=None, batch=None, attn=None)`` returns ``(x,
    edge_index, edge_attr, batch, perm, score)`` (``score`` of the kept nodes). Output
    sizes depend on the data, so this layer does not compile without graph breaks.
    """

    def __init__(self, in_channels: int, ratio: float | int = 0.5, min_score: float | None = None,
                 multiplier: float = 1.0, nonlinearity="tanh"):
        super().__init__()
        self.in_channels, self.ratio, self.min_score = in_channels, ratio, min_score
        self.multiplier = multiplier
        self.nonlinearity = activation_resolver(nonlinearity) if isinstance(nonlinearity, str) \
            else nonlinearity
        self.weight = torch.nn.Parameter(torch.empty(1, in_channels))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.in_channels)
        torch.nn.init.uniform_(self.weight, -bound, bound)

    def score(self, attn: Tensor, edge_index: Tensor, batch: Tensor) -> Tensor:
        """The raw score of every node (before the non-linearity or softmax)."""
        return (attn * self.weight).sum(-1) / self.weight.norm(p=2, dim=-1)

    def forward(self, x: Tensor, edge_index: Tensor, edge_attr: Tensor | None = None,
                batch: Tensor | None = None, attn: Tensor | None = None):
        return pool_by_score(self, x, edge_index, edge_attr, batch, attn)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, ratio={self.ratio})"


def pool_by_score(layer, x: Tensor, edge_index: Tensor, edge_attr: Tensor | None,
                  batch: Tensor | None, attn: Tensor | None):
    """The selection shared by TopK and SAG pooling; ``layer.score(...)`` gives raw scores."""
    from geode_core.utils import softmax

    if batch is None:
        batch = edge_index.new_zeros(x.size(0))
    attn = x if attn is None else attn
    attn = attn.view(-1, 1) if attn.dim() == 1 else attn
    score = layer.score(attn, edge_index, batch).view(-1)
    if layer.min_score is None:
        score = layer.nonlinearity(score)
    else:
        score = softmax(score, batch)
    perm = topk(score, layer.ratio, batch, layer.min_score)
    x = x[perm] * score[perm].view(-1, 1)
    if layer.multiplier != 1:
        x = layer.multiplier * x
    edge_index, edge_attr = filter_adj(edge_index, edge_attr, perm, score.numel())
    return x, edge_index, edge_attr, batch[perm], perm, score[perm]
