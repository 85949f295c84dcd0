"""SAGEConv: GraphSAGE (Hamilton et al.) with mean/sum/max aggregation."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.ops import Adjacency, spmm

from ..message_passing import MessagePassing
from ._utils import linear, pair, root_add


def _has_hooks(module: torch.nn.Module) -> bool:
    """Whether a forward hook (the module's own or a global one) could replace its output."""
    from torch.nn.modules import module as hooks

    return bool(module._forward_hooks or module._forward_pre_hooks
                or hooks._global_forward_hooks or hooks._global_forward_pre_hooks)


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
        # a multi-aggregation (aggr=["mean", "max"]) widens what the neighbour linear reads
        in_aggr = in_src if in_src == -1 else self.aggr_module.get_out_channels(in_src)
        self.lin_l = linear(in_aggr, out_channels, bias=bias)
        self.lin_r = linear(in_dst, out_channels, bias=False) if root_weight else None

    def forward(self, x, edge_index, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        if self.lin is not None:
            x_src = F.relu(self.lin(x_src))
        out = self.propagate(edge_index, x=(x_src, x_dst), size=size)
        fresh = type(self.lin_l) is torch.nn.Linear and not _has_hooks(self.lin_l)
        out = self.lin_l(out)
        if self.root_weight and self.lin_r is not None and x_dst is not None:
            # a plain Linear's output is a new tensor autograd does not save: add in place
            out = root_add(out, self.lin_r, x_dst, inplace=fresh)
        if self.normalize:
            out = F.normalize(out, p=2.0, dim=-1)
        return out

    def message_and_aggregate(self, adj: Adjacency, x) -> Tensor:
        return spmm(adj, x[0], reduce=self.fused_reduce)

    def __repr__(self) -> str:
        return f"SAGEConv({self.in_channels}, {self.out_channels}, aggr={self.aggr!r})"


__all__ = ["SAGEConv"]
