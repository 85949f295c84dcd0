"""MLP: a multi-layer perceptron with optional norms, for node or graph features."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from ..conv._utils import linear
from ..resolver import activation_resolver, normalization_resolver, takes_batch


def act_norm(x: Tensor, act, act_first: bool, norm, norm_takes_batch: bool,
             batch: Tensor | None, batch_size: int | None) -> Tensor:
    """The block after a linear/conv layer: activation and norm, in either order."""
    if act is not None and act_first:
        x = act(x)
    x = norm(x, batch, batch_size) if norm_takes_batch else norm(x)
    if act is not None and not act_first:
        x = act(x)
    return x


class MLP(torch.nn.Module):
    """``Linear -> norm -> act -> dropout`` per layer; the last layer is a plain ``Linear``.

    Args follow PyG: ``channel_list`` (e.g. ``[16, 32, 7]``) or ``in_channels``,
    ``hidden_channels``, ``out_channels`` and ``num_layers`` (an input size of ``-1`` is
    inferred on the first call); ``dropout`` (a float or one per layer), ``act``,
    ``act_first``, ``act_kwargs``, ``norm`` (default ``"batch_norm"``; ``None`` for none),
    ``norm_kwargs``, ``plain_last``, ``bias`` (bool or one per layer).
    ``forward(x, batch=None, batch_size=None, return_emb=None)``.
    """

    def __init__(self, channel_list: list[int] | int | None = None, *, in_channels: int | None = None,
                 hidden_channels: int | None = None, out_channels: int | None = None,
                 num_layers: int | None = None, dropout: float | list[float] = 0.0,
                 act: Any = "relu", act_first: bool = False, act_kwargs: dict | None = None,
                 norm: Any = "batch_norm", norm_kwargs: dict | None = None,
                 plain_last: bool = True, bias: bool | list[bool] = True):
        super().__init__()
        if isinstance(channel_list, int):
            in_channels, channel_list = channel_list, None
        if channel_list is None:
            if in_channels is None or out_channels is None or num_layers is None:
                raise ValueError("MLP: give channel_list, or in_channels, out_channels and num_layers")
            if num_layers < 1:
                raise ValueError(f"MLP: num_layers must be at least 1, got {num_layers}")
            if num_layers > 1 and hidden_channels is None:
                raise ValueError("MLP: hidden_channels is required when num_layers > 1")
            channel_list = [in_channels, *([hidden_channels] * (num_layers - 1)), out_channels]
        channel_list = list(channel_list)
        if len(channel_list) < 2:
            raise ValueError(f"MLP: channel_list needs at least two entries, got {channel_list}")
        self.channel_list = channel_list
        n = len(channel_list) - 1
        dropouts = list(dropout) if isinstance(dropout, (list, tuple)) else [float(dropout)] * n
        biases = list(bias) if isinstance(bias, (list, tuple)) else [bias] * n
        if len(dropouts) != n or len(biases) != n:
            raise ValueError(f"MLP: dropout and bias lists need one entry per layer ({n})")
        self.dropout, self.act_first, self.plain_last = dropouts, act_first, plain_last
        self.act = activation_resolver(act, **(act_kwargs or {})) if act is not None else None
        self.lins = torch.nn.ModuleList(
            [linear(a, b, bias=bi) for a, b, bi in zip(channel_list[:-1], channel_list[1:], biases)])
        hidden = channel_list[1:-1] if plain_last else channel_list[1:]
        self.norms = torch.nn.ModuleList(
            [normalization_resolver(norm, c, **(norm_kwargs or {})) if norm is not None
             else torch.nn.Identity() for c in hidden])
        self._norm_takes_batch = [takes_batch(n) for n in self.norms]

    @property
    def in_channels(self) -> int:
        return self.channel_list[0]

    @property
    def out_channels(self) -> int:
        return self.channel_list[-1]

    @property
    def num_layers(self) -> int:
        return len(self.channel_list) - 1

    def reset_parameters(self) -> None:
        for module in [*self.lins, *self.norms]:
            if hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(self, x: Tensor, batch: Tensor | None = None, batch_size: int | None = None,
                return_emb: bool | None = None):
        emb = x
        for i, lin in enumerate(self.lins):
            x = lin(x)
            if i < len(self.norms):
                x = act_norm(x, self.act, self.act_first, self.norms[i], self._norm_takes_batch[i],
                             batch, batch_size)
                x = F.dropout(x, p=self.dropout[i], training=self.training)
                emb = x
        return (x, emb) if return_emb else x

    def __repr__(self) -> str:
        return f"MLP({self.channel_list})"
