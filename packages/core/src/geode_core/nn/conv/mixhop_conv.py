"""MixHopConv: mixing powers of the normalised adjacency (Abu-El-Haija et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from ._utils import linear
from .linear_propagation import LinearPropagation


class MixHopConv(LinearPropagation):
    """``X' = ||_{p in powers} Â^p X W_p`` with ``Â = D^-1/2 (A + I) D^-1/2``.

    Args follow PyG: ``in_channels``, ``out_channels`` (per power; the output has
    ``len(powers) * out_channels``), ``powers`` (default ``[0, 1, 2]``), ``add_self_loops``,
    ``bias``.
    """

    def __init__(self, in_channels: int, out_channels: int, powers: list[int] | None = None,
                 add_self_loops: bool = True, bias: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        powers = [0, 1, 2] if powers is None else list(powers)
        if not powers or min(powers) < 0:
            raise ValueError(f"MixHopConv: powers must be non-negative integers, got {powers}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.powers, self.add_self_loops = powers, add_self_loops
        self.lins = torch.nn.ModuleDict({str(p): linear(in_channels, out_channels, bias=False)
                                         for p in sorted(set(powers))})
        self.bias = torch.nn.Parameter(torch.zeros(len(powers) * out_channels)) if bias else None

    def reset_parameters(self) -> None:
        for lin in self.lins.values():
            lin.reset_parameters()
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        adj = self.gcn_adjacency(edge_index, edge_weight, x.size(0), x.dtype,
                                 add_self_loops=self.add_self_loops)
        by_power = {}
        for p in range(max(self.powers) + 1):
            if p > 0:
                x = self.spread(x, adj)
            if str(p) in self.lins:
                by_power[p] = self.lins[str(p)](x)
        out = torch.cat([by_power[p] for p in self.powers], dim=-1)
        if self.bias is not None:
            out = out + self.bias
        return out

    def __repr__(self) -> str:
        return f"MixHopConv({self.in_channels}, {self.out_channels}, powers={self.powers})"
