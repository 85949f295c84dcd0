"""Normalisation with statistics or affine parameters per node type (rows typed by a vector)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.ops import scatter_sum


def _check(x: Tensor, type_vec: Tensor, channels: int, owner: str) -> None:
    if x.dim() != 2 or x.size(1) != channels:
        raise ValueError(f"{owner}: x must be [N, {channels}], got {tuple(x.shape)}")
    if type_vec.shape != (x.size(0),):
        raise ValueError(f"{owner}: type_vec must be [{x.size(0)}] (one type per row), got {tuple(type_vec.shape)}")


class HeteroBatchNorm(torch.nn.Module):
    """Batch normalisation with separate statistics and affine parameters per type.

    Args follow ``torch.nn.BatchNorm1d`` plus ``num_types``; ``forward(x, type_vec)``. In
    training, each type's rows are normalised by that type's batch mean and (biased) variance
    and the running statistics of the types present are updated (unbiased variance); in
    evaluation the running statistics are used.
    """

    def __init__(self, in_channels: int, num_types: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True, track_running_stats: bool = True):
        super().__init__()
        self.in_channels, self.num_types = in_channels, num_types
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = torch.nn.Parameter(torch.ones(num_types, in_channels))
            self.bias = torch.nn.Parameter(torch.zeros(num_types, in_channels))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(num_types, in_channels))
            self.register_buffer("running_var", torch.ones(num_types, in_channels))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)

    def reset_parameters(self) -> None:
        if self.affine:
            torch.nn.init.ones_(self.weight)
            torch.nn.init.zeros_(self.bias)
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1.0)

    def forward(self, x: Tensor, type_vec: Tensor) -> Tensor:
        _check(x, type_vec, self.in_channels, "HeteroBatchNorm")
        if self.training or not self.track_running_stats:
            count = scatter_sum(torch.ones_like(x[:, :1]), type_vec, self.num_types)
            mean = scatter_sum(x, type_vec, self.num_types) / count.clamp(min=1)
            centred = x - mean.index_select(0, type_vec)
            var = scatter_sum(centred * centred, type_vec, self.num_types) / count.clamp(min=1)
            if self.training and self.track_running_stats:
                with torch.no_grad():
                    present = count > 0
                    unbiased = var * count / (count - 1).clamp(min=1)
                    m = self.momentum
                    self.running_mean.copy_(torch.where(present, (1 - m) * self.running_mean + m * mean,
                                                        self.running_mean))
                    self.running_var.copy_(torch.where(present, (1 - m) * self.running_var + m * unbiased,
                                                       self.running_var))
        else:
            mean, var = self.running_mean, self.running_var
            centred = x - mean.index_select(0, type_vec)
        out = centred * torch.rsqrt(var + self.eps).index_select(0, type_vec)
        if self.affine:
            out = out * self.weight.index_select(0, type_vec) + self.bias.index_select(0, type_vec)
        return out

    def __repr__(self) -> str:
        return f"HeteroBatchNorm({self.in_channels}, num_types={self.num_types})"


class HeteroLayerNorm(torch.nn.Module):
    """Layer normalisation of each row over its features, with an affine transform per type.

    ``forward(x, type_vec)``; ``mode="node"`` (the only mode: each row is normalised alone).
    """

    def __init__(self, in_channels: int, num_types: int, eps: float = 1e-5, mode: str = "node",
                 elementwise_affine: bool = True):
        super().__init__()
        if mode != "node":
            raise ValueError(f"HeteroLayerNorm: mode must be 'node', got {mode!r}")
        self.in_channels, self.num_types, self.eps, self.mode = in_channels, num_types, eps, mode
        if elementwise_affine:
            self.weight = torch.nn.Parameter(torch.ones(num_types, in_channels))
            self.bias = torch.nn.Parameter(torch.zeros(num_types, in_channels))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        if self.weight is not None:
            torch.nn.init.ones_(self.weight)
            torch.nn.init.zeros_(self.bias)

    def forward(self, x: Tensor, type_vec: Tensor) -> Tensor:
        _check(x, type_vec, self.in_channels, "HeteroLayerNorm")
        out = F.layer_norm(x, (self.in_channels,), eps=self.eps)
        if self.weight is not None:
            out = out * self.weight.index_select(0, type_vec) + self.bias.index_select(0, type_vec)
        return out

    def __repr__(self) -> str:
        return f"HeteroLayerNorm({self.in_channels}, num_types={self.num_types})"


__all__ = ["HeteroBatchNorm", "HeteroLayerNorm"]
