"""DirGNNConv: directed message passing with separate in- and out-neighbour convs (Rossi et al.)."""

from __future__ import annotations

import copy

import torch
from torch import Tensor

from ._utils import linear, raw_graph


class DirGNNConv(torch.nn.Module):
    """``x_i' = alpha conv_out(x, A^T)_i + (1 - alpha) conv_in(x, A)_i + W x_i``.

    ``conv`` aggregates over incoming edges; a deep copy aggregates over the reversed
    edges. The wrapped convs' own self-loops and root weights are switched off where they
    have ``add_self_loops``/``root_weight`` attributes. Args follow PyG: ``conv``,
    ``alpha``, ``root_weight`` (the ``W x_i`` term; needs ``conv.in_channels`` and
    ``conv.out_channels``).
    """

    def __init__(self, conv: torch.nn.Module, alpha: float = 0.5, root_weight: bool = True):
        super().__init__()
        self.alpha, self.root_weight = alpha, root_weight
        for attr in ("add_self_loops", "root_weight"):
            if getattr(conv, attr, False):
                setattr(conv, attr, False)
        self.conv_in = conv
        self.conv_out = copy.deepcopy(conv)
        if hasattr(self.conv_out, "reset_parameters"):
            self.conv_out.reset_parameters()
        if root_weight:
            self.lin = linear(conv.in_channels, conv.out_channels)
        else:
            self.lin = None

    def reset_parameters(self) -> None:
        for module in (self.conv_in, self.conv_out, self.lin):
            if module is not None and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(self, x: Tensor, edge_index) -> Tensor:
        raw, _, _ = raw_graph(edge_index, getattr(self.conv_in, "flow", "source_to_target"))
        x_in = self.conv_in(x, edge_index)
        x_out = self.conv_out(x, raw.flip(0))
        out = self.alpha * x_out + (1 - self.alpha) * x_in
        if self.lin is not None:
            out = out + self.lin(x)
        return out

    def __repr__(self) -> str:
        return f"DirGNNConv({self.conv_in}, alpha={self.alpha})"
