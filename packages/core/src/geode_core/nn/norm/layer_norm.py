"""LayerNorm over each graph (``mode="graph"``) or each node (``mode="node"``)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from ._graphwise import graph_mean, num_graphs


class LayerNorm(torch.nn.Module):
    """``x' = (x - E[x]) / sqrt(Var[x] + eps) * gamma + beta``.

    ``mode="graph"``: mean and variance over all nodes and channels of each graph of
    ``batch``; ``mode="node"``: over the channels of each node (``torch.nn.LayerNorm``).
    Args follow PyG: ``in_channels``, ``eps``, ``affine``, ``mode``.
    """

    def __init__(self, in_channels: int, eps: float = 1e-5, affine: bool = True, mode: str = "graph",
                 device=None):
        super().__init__()
        if mode not in ("graph", "node"):
            raise ValueError(f"LayerNorm: mode must be 'graph' or 'node', got {mode!r}")
        self.in_channels, self.eps, self.affine, self.mode = in_channels, eps, affine, mode
        self.weight = torch.nn.Parameter(torch.ones(in_channels, device=device)) if affine else None
        self.bias = torch.nn.Parameter(torch.zeros(in_channels, device=device)) if affine else None

    def reset_parameters(self) -> None:
        if self.affine:
            torch.nn.init.ones_(self.weight)
            torch.nn.init.zeros_(self.bias)

    def forward(self, x: Tensor, batch: Tensor | None = None, batch_size: int | None = None) -> Tensor:
        if self.mode == "node":
            return F.layer_norm(x, (self.in_channels,), self.weight, self.bias, self.eps)
        size = num_graphs(batch, batch_size)
        mean = graph_mean(x.mean(-1, keepdim=True), batch, size)
        centred = x - (mean if batch is None else mean.index_select(0, batch))
        var = graph_mean(centred.pow(2).mean(-1, keepdim=True), batch, size)
        var = var if batch is None else var.index_select(0, batch)
        out = centred / (var + self.eps).sqrt()
        if self.affine:
            out = out * self.weight + self.bias
        return out

    def __repr__(self) -> str:
        return f"LayerNorm({self.in_channels}, mode={self.mode!r})"
