"""BasicGNN: a stack of one conv type with activation, norm, dropout and jumping knowledge."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from geode_core.utils.trim import trim_to_layer

from ..resolver import activation_resolver, normalization_resolver, takes_batch
from .jumping_knowledge import JumpingKnowledge
from .mlp import MLP, act_norm


class BasicGNN(torch.nn.Module):
    """``num_layers`` convs of one kind; between them ``act``, ``norm`` and ``dropout``.

    Args follow PyG: ``in_channels`` (-1 for lazy), ``hidden_channels``, ``num_layers``,
    ``out_channels`` (a last conv, or a final linear layer after jumping knowledge),
    ``dropout``, ``act``, ``act_first``, ``act_kwargs``, ``norm``, ``norm_kwargs``, ``jk``
    (``None``, ``"last"``, ``"cat"``, ``"max"``, ``"lstm"``); other keyword arguments go to
    each conv. ``forward(x, edge_index, edge_weight=None, edge_attr=None, batch=None,
    batch_size=None, num_sampled_nodes_per_hop=None, num_sampled_edges_per_hop=None)``:
    with the per-hop counts of a neighbour sampler, each layer first trims the hops it no
    longer needs (:func:`geode_core.utils.trim_to_layer`).
    """

    supports_edge_weight: bool = False
    supports_edge_attr: bool = False

    def __init__(self, in_channels: int, hidden_channels: int, num_layers: int,
                 out_channels: int | None = None, dropout: float = 0.0, act: Any = "relu",
                 act_first: bool = False, act_kwargs: dict | None = None, norm: Any = None,
                 norm_kwargs: dict | None = None, jk: str | None = None, **kwargs: Any):
        super().__init__()
        if num_layers < 1:
            raise ValueError(f"{type(self).__name__}: num_layers must be at least 1, got {num_layers}")
        self.in_channels, self.hidden_channels, self.num_layers = in_channels, hidden_channels, num_layers
        # a module, not ``F.dropout(training=self.training)``: a torch.fx trace (to_hetero)
        # would freeze the training flag of the moment it was traced
        self.dropout, self.act_first = torch.nn.Dropout(dropout), act_first
        self.act = activation_resolver(act, **(act_kwargs or {})) if act is not None else None
        self.jk_mode = jk
        self.conv_to_out = out_channels is not None and jk is None
        self.out_channels = out_channels if out_channels is not None else hidden_channels
        self._mlp_kwargs = {"act": act, "act_first": act_first, "act_kwargs": act_kwargs,
                            "norm": norm, "norm_kwargs": norm_kwargs}
        self.convs = torch.nn.ModuleList()
        for i in range(num_layers):
            last = i == num_layers - 1
            c_in = in_channels if i == 0 else hidden_channels
            c_out = out_channels if (last and self.conv_to_out) else hidden_channels
            self.convs.append(self.init_conv(c_in, c_out, last_to_out=last and self.conv_to_out,
                                             **kwargs))
        num_norms = num_layers - 1 if self.conv_to_out else num_layers
        self.norms = torch.nn.ModuleList(
            [normalization_resolver(norm, hidden_channels, **(norm_kwargs or {})) if norm is not None
             else torch.nn.Identity() for _ in range(num_norms)])
        self._norm_takes_batch = [takes_batch(n) for n in self.norms]
        self.jk = None
        if jk is not None and jk != "last":
            self.jk = JumpingKnowledge(jk, hidden_channels, num_layers)
        self.lin = None
        if jk is not None and out_channels is not None:
            width = num_layers * hidden_channels if jk == "cat" else hidden_channels
            self.lin = torch.nn.Linear(width, out_channels)

    def init_conv(self, in_channels: int, out_channels: int, last_to_out: bool = False,
                  **kwargs: Any) -> torch.nn.Module:
        """Build one conv; each model overrides it."""
        raise TypeError(f"{type(self).__name__} must define init_conv()")

    def mlp(self, channels: list[int]) -> MLP:
        """An :class:`MLP` with the model's activation and norm (for GIN and EdgeCNN convs)."""
        return MLP(channels, **self._mlp_kwargs)

    def reset_parameters(self) -> None:
        for module in [*self.convs, *self.norms, self.jk, self.lin]:
            if module is not None and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def _conv(self, conv, x, edge_index, edge_weight, edge_attr):
        if self.supports_edge_weight and self.supports_edge_attr:
            return conv(x, edge_index, edge_weight=edge_weight, edge_attr=edge_attr)
        if self.supports_edge_weight:
            return conv(x, edge_index, edge_weight)
        if self.supports_edge_attr:
            return conv(x, edge_index, edge_attr=edge_attr)
        return conv(x, edge_index)

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None,
                edge_attr: Tensor | None = None, batch: Tensor | None = None,
                batch_size: int | None = None, num_sampled_nodes_per_hop: list[int] | None = None,
                num_sampled_edges_per_hop: list[int] | None = None) -> Tensor:
        trimming = num_sampled_nodes_per_hop is not None
        if trimming and num_sampled_edges_per_hop is None:
            raise ValueError("num_sampled_edges_per_hop is required with num_sampled_nodes_per_hop")
        xs: list[Tensor] = []
        for i, conv in enumerate(self.convs):
            if trimming:
                value = edge_weight if edge_weight is not None else edge_attr
                x, edge_index, value = trim_to_layer(i, num_sampled_nodes_per_hop,
                                                     num_sampled_edges_per_hop, x, edge_index, value)
                if edge_weight is not None:
                    edge_weight = value
                elif edge_attr is not None:
                    edge_attr = value
                if batch is not None:
                    batch = batch[: x.size(0)]
            x = self._conv(conv, x, edge_index, edge_weight, edge_attr)
            if i == self.num_layers - 1 and self.jk_mode is None:
                break
            x = act_norm(x, self.act, self.act_first, self.norms[i], self._norm_takes_batch[i],
                         batch, batch_size)
            x = self.dropout(x)
            xs.append(x)
        if self.jk_mode is not None:
            xs = [h[: x.size(0)] for h in xs]
            x = xs[-1] if self.jk is None else self.jk(xs)
        if self.lin is not None:
            x = self.lin(x)
        return x

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"num_layers={self.num_layers})")
