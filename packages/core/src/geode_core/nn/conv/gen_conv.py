"""GENConv: the generalised graph convolution of DeeperGCN (Li et al.)."""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor

from ..aggr import resolve_aggregation
from ..message_passing import MessagePassing
from ._utils import linear, pair


def _gen_aggregation(aggr, t: float, learn_t: bool, p: float, learn_p: bool):
    if aggr == "softmax":
        name, kwargs = "softmax", {"t": t, "learn": learn_t}
    elif aggr in ("powermean", "power_mean"):
        name, kwargs = "power_mean", {"p": p, "learn": learn_p}
    else:
        return aggr
    try:
        return resolve_aggregation(name, **kwargs)
    except LookupError as exc:
        raise ImportError(f"GENConv(aggr={aggr!r}) needs geode-aggr's {name!r} aggregation "
                          "(pip install geode-aggr)") from exc


class GENConv(MessagePassing):
    """``x_i' = MLP(x_i + aggr_{j in N(i)} (ReLU(x_j + e_ji) + eps))``.

    Args follow PyG: ``in_channels``, ``out_channels`` (inputs are projected when they
    differ), ``aggr`` (``"softmax"`` with temperature ``t``/``learn_t``, ``"powermean"``
    with ``p``/``learn_p``, both from geode-aggr, or any registered name), ``msg_norm`` and
    ``learn_msg_scale`` (:class:`~geode_core.nn.norm.MessageNorm`), ``norm``, ``num_layers``
    and ``expansion`` of the MLP, ``eps``, ``bias``, ``edge_dim``.
    """

    def __init__(self, in_channels, out_channels: int, aggr="softmax", t: float = 1.0,
                 learn_t: bool = False, p: float = 1.0, learn_p: bool = False,
                 msg_norm: bool = False, learn_msg_scale: bool = False, norm: str | None = "batch",
                 num_layers: int = 2, expansion: int = 2, eps: float = 1e-7, bias: bool = False,
                 edge_dim: int | None = None, **kwargs):
        from ..models.mlp import MLP
        from ..norm import MessageNorm

        super().__init__(aggr=_gen_aggregation(aggr, t, learn_t, p, learn_p), **kwargs)
        self.in_channels, self.out_channels, self.eps = in_channels, out_channels, eps
        in_src, in_dst = pair(in_channels)
        self.lin_src = linear(in_src, out_channels, bias=bias) if in_src != out_channels else None
        self.lin_dst = linear(in_dst, out_channels, bias=bias) if in_dst != out_channels else None
        self.lin_edge = linear(edge_dim, out_channels, bias=bias) \
            if edge_dim is not None and edge_dim != out_channels else None
        self.msg_norm = MessageNorm(learn_msg_scale) if msg_norm else None
        channels = [out_channels, *([out_channels * expansion] * (num_layers - 1)), out_channels]
        self.mlp = MLP(channels, norm=norm, bias=bias)

    def reset_parameters(self) -> None:
        for module in (self.lin_src, self.lin_dst, self.lin_edge, self.msg_norm, self.mlp,
                       self.aggr_module):
            if module is not None and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(self, x, edge_index, edge_attr: Tensor | None = None, size=None) -> Tensor:
        x_src, x_dst = pair(x)
        if self.lin_src is not None:
            x_src = self.lin_src(x_src)
        if x_dst is not None and self.lin_dst is not None:
            x_dst = self.lin_dst(x_dst)
        if edge_attr is not None and self.lin_edge is not None:
            edge_attr = self.lin_edge(edge_attr)
        out = self.propagate(edge_index, x=(x_src, x_dst), edge_attr=edge_attr, size=size)
        if x_dst is not None:
            if self.msg_norm is not None:
                out = self.msg_norm(x_dst, out)
            out = out + x_dst
        return self.mlp(out)

    def message(self, x_j: Tensor, edge_attr: Tensor | None) -> Tensor:
        msg = x_j if edge_attr is None else x_j + edge_attr
        return F.relu(msg) + self.eps

    def __repr__(self) -> str:
        return f"GENConv({self.in_channels}, {self.out_channels}, aggr={self.aggr!r})"
