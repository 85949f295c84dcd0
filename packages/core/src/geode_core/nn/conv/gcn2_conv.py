"""GCN2Conv: GCNII, graph convolution with initial residual and identity mapping (Chen et al.)."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from .linear_propagation import LinearPropagation


class GCN2Conv(LinearPropagation):
    """``X' = ((1 - alpha) Â X + alpha X_0) ((1 - beta) I + beta W)``, ``beta = log(theta / layer + 1)``.

    ``Â = D^-1/2 (A + I) D^-1/2``. Args follow PyG: ``channels``, ``alpha``, ``theta`` and
    ``layer`` (both given, else ``beta = 1``), ``shared_weights`` (one ``W`` for both terms,
    else a second for the ``X_0`` term), ``cached``, ``add_self_loops``, ``normalize``.
    ``forward(x, x_0, edge_index, edge_weight=None)``.
    """

    def __init__(self, channels: int, alpha: float, theta: float | None = None,
                 layer: int | None = None, shared_weights: bool = True, cached: bool = False,
                 add_self_loops: bool = True, normalize: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.channels, self.alpha = channels, alpha
        self.beta = 1.0 if theta is None or layer is None else math.log(theta / layer + 1)
        self.cached, self.add_self_loops, self.normalize = cached, add_self_loops, normalize
        self.weight1 = torch.nn.Parameter(torch.empty(channels, channels))
        self.weight2 = None if shared_weights else torch.nn.Parameter(torch.empty(channels, channels))
        self._cached_adj = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for w in (self.weight1, self.weight2):
            if w is not None:
                torch.nn.init.xavier_uniform_(w)
        self._cached_adj = None

    def _mix(self, h: Tensor, weight: Tensor) -> Tensor:
        return (1 - self.beta) * h + self.beta * (h @ weight)

    def forward(self, x: Tensor, x_0: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        adj = self.transductive_gcn_adjacency(edge_index, edge_weight, x)
        h = (1 - self.alpha) * self.spread(x, adj)
        h0 = self.alpha * x_0[: h.size(0)]
        if self.weight2 is None:
            return self._mix(h + h0, self.weight1)
        return self._mix(h, self.weight1) + self._mix(h0, self.weight2)

    def __repr__(self) -> str:
        return f"GCN2Conv({self.channels}, alpha={self.alpha}, beta={self.beta})"
