"""GraphNorm (Cai et al.): per-graph normalisation with a learnable mean shift."""

from __future__ import annotations

import torch
from torch import Tensor

from ._graphwise import graph_mean, num_graphs


class GraphNorm(torch.nn.Module):
    """``x' = (x - alpha * E[x]) / sqrt(Var[x - alpha * E[x]] + eps) * gamma + beta`` per graph and channel."""

    def __init__(self, in_channels: int, eps: float = 1e-5, device=None):
        super().__init__()
        self.in_channels, self.eps = in_channels, eps
        self.weight = torch.nn.Parameter(torch.ones(in_channels, device=device))
        self.bias = torch.nn.Parameter(torch.zeros(in_channels, device=device))
        self.mean_scale = torch.nn.Parameter(torch.ones(in_channels, device=device))

    def reset_parameters(self) -> None:
        torch.nn.init.ones_(self.weight)
        torch.nn.init.zeros_(self.bias)
        torch.nn.init.ones_(self.mean_scale)

    def forward(self, x: Tensor, batch: Tensor | None = None, batch_size: int | None = None) -> Tensor:
        size = num_graphs(batch, batch_size)
        mean = graph_mean(x, batch, size)
        centred = x - (mean if batch is None else mean.index_select(0, batch)) * self.mean_scale
        var = graph_mean(centred.pow(2), batch, size)
        std = (var + self.eps).sqrt()
        return self.weight * centred / (std if batch is None else std.index_select(0, batch)) + self.bias

    def __repr__(self) -> str:
        return f"GraphNorm({self.in_channels})"
