"""SAGEConv: GraphSAGE (Hamilton et al.) with mean/sum/max aggregation."""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor

from geode_core.ops import Adjacency, spmm

from ..message_passing import MessagePassing
from ._utils import linear, pair, root_add


class SAGEConv(MessagePassing):
    """``x_i' = W_1 x_i + W_2 aggr_{j in N(i)} x_j``.

    Args follow PyG: ``in_channels`` (int or ``(src, dst)`` pair), ``out_channels``,
    ``aggr`` (default ``"mean"``; any registered name or module), ``normalize`` (L2-normalise
    the output), ``root_weight``, ``project`` (a ReLU projection of the sources first), ``bias``.
    """

    fused = True

    def __init__(self, in_channels, out_channels: int, aggr="mean", normalize: bool = False,
                 root_weight: bool = True, project: bool = False, bias: bool = True, **kwargs):
        super().__init__(aggr=aggr, **kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.normalize, self.root_weight, self.project = normalize, root_weight, project
        in_src, in_dst = pair(in_channels)
        self.lin = linear(in_src, in_src, bias=True) if project else None
        self.lin_l = linear(in_src, out_channels, bias=bias)
        self.lin_r = linear(in_dst, out_channels, bias=False) if root_weight else None

    def forward(self, x, edge_index, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        if self.lin is not None:
            x_src = F.relu(self.lin(x_src))
        out = self.propagate(edge_index, x=(x_src, x_dst), size=size)
        out = self.lin_l(out)
        if self.lin_r is not None and x_dst is not None:
            out = root_add(out, self.lin_r, x_dst)
        if self.normalize:
            out = F.normalize(out, p=2.0, dim=-1)
        return out

    def message_and_aggregate(self, adj: Adjacency, x) -> Tensor:
        return spmm(adj, x[0], reduce=self.fused_reduce)

    def __repr__(self) -> str:
        return f"SAGEConv({self.in_channels}, {self.out_channels}, aggr={self.aggr!r})"


__all__ = ["SAGEConv"]
