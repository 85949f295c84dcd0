"""NNConv: the edge-conditioned convolution (Gilmer et al.; Simonovsky & Komodakis)."""

from __future__ import annotations

import torch
from torch import Tensor

from ..message_passing import MessagePassing
from ._utils import linear, pair


class NNConv(MessagePassing):
    """``x_i' = W x_i + aggr_{j in N(i)} x_j h(e_ij)``; ``h`` (``nn``) maps edge features to ``[in * out]``.

    Args follow PyG: ``in_channels``, ``out_channels``, ``nn``, ``aggr`` (default ``"add"``),
    ``root_weight``, ``bias``.
    """

    def __init__(self, in_channels, out_channels: int, nn: torch.nn.Module, aggr="add",
                 root_weight: bool = True, bias: bool = True, **kwargs):
        super().__init__(aggr=aggr, **kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.nn, self.root_weight = nn, root_weight
        in_src, in_dst = pair(in_channels)
        self.in_src = in_src
        self.lin = linear(in_dst, out_channels, bias=False) if root_weight else None
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias else None

    def reset_parameters(self) -> None:
        for module in self.nn.modules():
            if module is not self.nn and hasattr(module, "reset_parameters"):
                module.reset_parameters()
        if self.lin is not None:
            self.lin.reset_parameters()
        if self.bias is not None:
            torch.nn.init.zeros_(self.bias)

    def forward(self, x, edge_index, edge_attr: Tensor | None = None, size=None) -> Tensor:
        if edge_attr is None:
            raise ValueError("NNConv needs edge_attr ([num_edges, edge_features])")
        x_src, x_dst = pair(x)
        out = self.propagate(edge_index, x=(x_src, x_dst), edge_attr=edge_attr, size=size)
        if self.lin is not None and x_dst is not None:
            out = out + self.lin(x_dst)
        if self.bias is not None:
            out = out + self.bias
        return out

    def message(self, x_j: Tensor, edge_attr: Tensor) -> Tensor:
        weight = self.nn(edge_attr).view(-1, self.in_src, self.out_channels)
        return torch.bmm(x_j.unsqueeze(1), weight).squeeze(1)
