"""GatedGraphConv: gated graph sequence neural network layer (Li et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from .linear_propagation import LinearPropagation


class GatedGraphConv(LinearPropagation):
    """``h^(0) = [x || 0]``, ``m^(l) = aggr_j e_ji h_j^(l-1) W_l``, ``h^(l) = GRU(m^(l), h^(l-1))``.

    Args follow PyG: ``out_channels`` (input features are zero-padded up to it),
    ``num_layers``, ``aggr`` (default ``"add"``), ``bias`` (of the GRU cell).
    """

    def __init__(self, out_channels: int, num_layers: int, aggr="add", bias: bool = True, **kwargs):
        super().__init__(aggr=aggr, **kwargs)
        self.out_channels, self.num_layers = out_channels, num_layers
        self.weight = torch.nn.Parameter(torch.empty(num_layers, out_channels, out_channels))
        self.rnn = torch.nn.GRUCell(out_channels, out_channels, bias=bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        torch.nn.init.xavier_uniform_(self.weight)
        self.rnn.reset_parameters()

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        if x.size(-1) > self.out_channels:
            raise ValueError(f"GatedGraphConv: x has {x.size(-1)} channels, more than "
                             f"out_channels={self.out_channels}")
        if x.size(-1) < self.out_channels:
            x = torch.cat([x, x.new_zeros(x.size(0), self.out_channels - x.size(-1))], dim=-1)
        adj = self.weighted_adjacency(edge_index, edge_weight, x.size(0))
        for layer in range(self.num_layers):
            m = self.spread(x @ self.weight[layer], adj)
            x = self.rnn(m, x)
        return x

    def __repr__(self) -> str:
        return f"GatedGraphConv({self.out_channels}, num_layers={self.num_layers})"
