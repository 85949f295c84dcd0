"""BatchNorm over the nodes (or edges) of a batch."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


class BatchNorm(torch.nn.Module):
    """Batch normalisation over the first dimension (``torch.nn.BatchNorm1d`` semantics).

    Args follow PyG: ``in_channels``, ``eps``, ``momentum``, ``affine``,
    ``track_running_stats``, ``allow_single_element`` (a batch of one row is normalised with
    the running statistics instead of raising).
    """

    def __init__(self, in_channels: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True,
                 allow_single_element: bool = False, device=None):
        super().__init__()
        if allow_single_element and not track_running_stats:
            raise ValueError("BatchNorm: allow_single_element needs track_running_stats=True")
        self.in_channels = in_channels
        self.allow_single_element = allow_single_element
        self.module = torch.nn.BatchNorm1d(in_channels, eps, momentum, affine, track_running_stats,
                                           device=device)

    def reset_parameters(self) -> None:
        self.module.reset_parameters()

    def forward(self, x: Tensor) -> Tensor:
        if self.allow_single_element and x.size(0) <= 1:
            m = self.module
            return F.batch_norm(x, m.running_mean, m.running_var, m.weight, m.bias, False, 0.0, m.eps)
        return self.module(x)

    def __repr__(self) -> str:
        return f"BatchNorm({self.in_channels})"
