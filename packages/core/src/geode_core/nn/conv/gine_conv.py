"""GINEConv: GIN with edge features (Hu et al.)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from ._utils import linear, pair
from .gin_conv import GINConv


class GINEConv(GINConv):
    """``x_i' = h((1 + eps) x_i + sum_j ReLU(x_j + e_ji))``; ``edge_dim`` adds a projection."""

    fused = False  # the ReLU over x_j + e_ji is not linear in the source features

    def __init__(self, nn: torch.nn.Module, eps: float = 0.0, train_eps: bool = False,
                 edge_dim: int | None = None, **kwargs):
        super().__init__(nn, eps=eps, train_eps=train_eps, **kwargs)
        if edge_dim is not None:
            in_channels = getattr(nn, "in_features", None)
            if in_channels is None:
                first = next((m for m in nn.modules() if isinstance(m, torch.nn.Linear)), None)
                in_channels = first.in_features if first is not None else -1
            self.lin = linear(edge_dim, in_channels)
        else:
            self.lin = None

    def forward(self, x, edge_index, edge_attr: Tensor | None = None, size=None) -> Tensor:
        if edge_attr is None:
            raise ValueError("GINEConv needs edge_attr ([num_edges, channels])")
        x_src, x_dst = pair(x)
        out = self.propagate(edge_index, x=(x_src, x_dst), edge_attr=edge_attr, size=size)
        if x_dst is not None:
            out = out + (1 + self.eps) * x_dst
        return self.nn(out)

    def message(self, x_j: Tensor, edge_attr: Tensor) -> Tensor:
        if self.lin is not None:
            edge_attr = self.lin(edge_attr)
        if edge_attr.size(-1) != x_j.size(-1):
            raise ValueError(
                f"GINEConv: edge_attr has {edge_attr.size(-1)} channels but x has {x_j.size(-1)}; "
                "set edge_dim to project it"
            )
        return F.relu(x_j + edge_attr)

    def __repr__(self) -> str:
        return f"GINEConv(nn={self.nn})"
