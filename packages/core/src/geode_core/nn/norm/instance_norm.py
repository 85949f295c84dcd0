"""InstanceNorm: normalise each channel over the nodes of each graph."""

from __future__ import annotations

import torch
from torch import Tensor

from ._graphwise import graph_mean, node_counts, num_graphs


class InstanceNorm(torch.nn.Module):
    """``x' = (x - E_G[x]) / sqrt(Var_G[x] + eps) * gamma + beta`` per graph ``G`` and channel.

    Args follow PyG: ``in_channels``, ``eps``, ``momentum``, ``affine`` (default False),
    ``track_running_stats`` (default False; when True, training updates running averages
    of the per-graph mean and unbiased variance, and evaluation normalises with them).
    """

    def __init__(self, in_channels: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device=None):
        super().__init__()
        self.in_channels, self.eps, self.momentum = in_channels, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = torch.nn.Parameter(torch.ones(in_channels, device=device)) if affine else None
        self.bias = torch.nn.Parameter(torch.zeros(in_channels, device=device)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(in_channels, device=device))
            self.register_buffer("running_var", torch.ones(in_channels, device=device))
        else:
            self.running_mean = self.running_var = None

    def reset_parameters(self) -> None:
        if self.affine:
            torch.nn.init.ones_(self.weight)
            torch.nn.init.zeros_(self.bias)
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1.0)

    def forward(self, x: Tensor, batch: Tensor | None = None, batch_size: int | None = None) -> Tensor:
        size = num_graphs(batch, batch_size)
        spread = (lambda t: t) if batch is None else (lambda t: t.index_select(0, batch))
        if self.training or not self.track_running_stats:
            mean = graph_mean(x, batch, size)
            var = graph_mean((x - spread(mean)).pow(2), batch, size)
            if self.training and self.track_running_stats:
                count = node_counts(x, batch, size).view(-1, 1)
                unbiased = var * count / (count - 1).clamp(min=1)
                with torch.no_grad():
                    self.running_mean.lerp_(mean.mean(0), self.momentum)
                    self.running_var.lerp_(unbiased.mean(0), self.momentum)
            out = (x - spread(mean)) / spread((var + self.eps).sqrt())
        else:
            out = (x - self.running_mean) / (self.running_var + self.eps).sqrt()
        if self.affine:
            out = out * self.weight + self.bias
        return out

    def __repr__(self) -> str:
        return f"InstanceNorm({self.in_channels})"
