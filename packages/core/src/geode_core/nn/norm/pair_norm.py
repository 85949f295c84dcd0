"""PairNorm (Zhao & Akoglu): keep pairwise distances of node features from collapsing."""

from __future__ import annotations

import torch
from torch import Tensor

from ._graphwise import graph_mean, num_graphs


class PairNorm(torch.nn.Module):
    """``x_c = x - mean_G(x)``, then ``x' = s * x_c / sqrt(eps + mean_G ||x_c||^2)``.

    With ``scale_individually=True``: ``x' = s * x_c / (eps + ||x_c,i||)`` per node.
    Args follow PyG: ``scale`` (``s``), ``scale_individually``, ``eps``.
    """

    def __init__(self, scale: float = 1.0, scale_individually: bool = False, eps: float = 1e-5):
        super().__init__()
        self.scale, self.scale_individually, self.eps = scale, scale_individually, eps

    def reset_parameters(self) -> None:
        """PairNorm has no parameters."""

    def forward(self, x: Tensor, batch: Tensor | None = None, batch_size: int | None = None) -> Tensor:
        size = num_graphs(batch, batch_size)
        mean = graph_mean(x, batch, size)
        x = x - (mean if batch is None else mean.index_select(0, batch))
        if self.scale_individually:
            return self.scale * x / (self.eps + x.norm(dim=-1, keepdim=True))
        sq = graph_mean(x.pow(2).sum(-1, keepdim=True), batch, size)
        sq = sq if batch is None else sq.index_select(0, batch)
        return self.scale * x / (self.eps + sq).sqrt()

    def __repr__(self) -> str:
        return f"PairNorm(scale={self.scale})"
