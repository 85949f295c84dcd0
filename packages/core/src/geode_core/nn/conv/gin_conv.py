"""GINConv: the graph isomorphism network layer (Xu et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import Adjacency, spmm

from ..message_passing import MessagePassing
from ._utils import pair


class GINConv(MessagePassing):
    """``x_i' = h((1 + eps) x_i + sum_{j in N(i)} x_j)`` with ``h`` the given ``nn``."""

    fused = True

    def __init__(self, nn: torch.nn.Module, eps: float = 0.0, train_eps: bool = False, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.nn = nn
        self.initial_eps = eps
        if train_eps:
            self.eps = torch.nn.Parameter(torch.tensor([float(eps)]))
        else:
            self.register_buffer("eps", torch.tensor([float(eps)]))

    def forward(self, x, edge_index, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        out = self.propagate(edge_index, x=(x_src, x_dst), size=size)
        if x_dst is not None:
            # in place on the fused SpMM's fresh, unsaved output
            out = (out.addcmul_(x_dst, 1 + self.eps) if self._use_fused()
                   else torch.addcmul(out, x_dst, 1 + self.eps))
        return self.nn(out)

    def message_and_aggregate(self, adj: Adjacency, x) -> Tensor:
        return spmm(adj, x[0], reduce=self.fused_reduce)

    def __repr__(self) -> str:
        return f"GINConv(nn={self.nn})"
