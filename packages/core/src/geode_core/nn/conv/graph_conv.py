"""GraphConv: the higher-order GNN layer of Morris et al."""

from __future__ import annotations

from torch import Tensor

from geode_core.ops import Adjacency, spmm

from ..message_passing import MessagePassing
from ._utils import linear, pair


class GraphConv(MessagePassing):
    """``x_i' = W_1 x_i + W_2 aggr_{j in N(i)} e_ji x_j`` (``aggr`` default ``"add"``)."""

    fused = True

    def __init__(self, in_channels, out_channels: int, aggr="add", bias: bool = True, **kwargs):
        super().__init__(aggr=aggr, **kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        in_src, in_dst = pair(in_channels)
        self.lin_rel = linear(in_src, out_channels, bias=bias)
        self.lin_root = linear(in_dst, out_channels, bias=False)

    def reset_parameters(self) -> None:
        self.lin_rel.reset_parameters()
        self.lin_root.reset_parameters()

    def forward(self, x, edge_index, edge_weight: Tensor | None = None, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        out = self.propagate(edge_index, x=(x_src, x_dst), edge_weight=edge_weight, size=size)
        out = self.lin_rel(out)
        if x_dst is not None:
            out = out + self.lin_root(x_dst)
        return out

    def message(self, x_j: Tensor, edge_weight: Tensor | None) -> Tensor:
        return x_j if edge_weight is None else edge_weight.view(-1, 1) * x_j

    def message_and_aggregate(self, adj: Adjacency, x, edge_weight: Tensor | None = None) -> Tensor:
        value = None
        if edge_weight is not None and edge_weight is not adj.edge_weight:
            value = edge_weight.index_select(0, adj.perm)
        return spmm(adj, x[0], reduce=self.fused_reduce, value=value)
