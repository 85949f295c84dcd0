"""GPSConv: the GraphGPS layer (Rampášek et al.): local message passing plus global attention."""

from __future__ import annotations

import inspect

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.utils.dense import to_dense_batch

from ..resolver import activation_resolver, normalization_resolver, takes_batch


class GPSConv(torch.nn.Module):
    """``h = norm(conv(x) + x) + norm(attn(x) + x)``, then ``out = norm(h + MLP(h))``.

    ``conv`` (any layer, or ``None`` for attention only) is called as
    ``conv(x, edge_index, **kwargs)``; the attention is multi-head self-attention over
    the nodes of each graph of ``batch`` (``torch.nn.MultiheadAttention`` on the padded
    dense batch). Args follow PyG: ``channels``, ``conv``, ``heads``, ``dropout``, ``act``,
    ``act_kwargs``, ``norm`` (default ``"batch_norm"``), ``norm_kwargs``, ``attn_type``
    (``"multihead"``; the Performer variant is not provided), ``attn_kwargs`` (e.g.
    ``{"dropout": 0.5}`` for the attention weights). With ``batch`` given the padding
    has a data-dependent size, so compiling needs ``batch=None`` (one graph).
    """

    def __init__(self, channels: int, conv: torch.nn.Module | None, heads: int = 1,
                 dropout: float = 0.0, act="relu", act_kwargs: dict | None = None,
                 norm="batch_norm", norm_kwargs: dict | None = None, attn_type: str = "multihead",
                 attn_kwargs: dict | None = None):
        super().__init__()
        if attn_type != "multihead":
            raise ValueError(f"GPSConv: attn_type must be 'multihead', got {attn_type!r}")
        self.channels, self.conv, self.heads, self.dropout = channels, conv, heads, dropout
        self.attn_type = attn_type
        self.attn = torch.nn.MultiheadAttention(channels, heads, batch_first=True, **(attn_kwargs or {}))
        self.mlp = torch.nn.Sequential(
            torch.nn.Linear(channels, 2 * channels), activation_resolver(act, **(act_kwargs or {})),
            torch.nn.Dropout(dropout), torch.nn.Linear(2 * channels, channels), torch.nn.Dropout(dropout))
        self.norm1, self.norm2, self.norm3 = (
            normalization_resolver(norm, channels, **(norm_kwargs or {})) for _ in range(3))
        self._norm_takes_batch = takes_batch(self.norm1)
        self._conv_args = set(inspect.signature(conv.forward).parameters) if conv is not None else set()

    def reset_parameters(self) -> None:
        for module in (self.conv, self.attn, *self.mlp, self.norm1, self.norm2, self.norm3):
            if module is not None and hasattr(module, "reset_parameters"):
                module.reset_parameters()
        self.attn._reset_parameters()

    def _norm(self, norm, x: Tensor, batch: Tensor | None) -> Tensor:
        if norm is None:
            return x
        return norm(x, batch) if self._norm_takes_batch else norm(x)

    def forward(self, x: Tensor, edge_index, batch: Tensor | None = None, **kwargs) -> Tensor:
        parts = []
        if self.conv is not None:
            h = self.conv(x, edge_index, **kwargs)
            h = F.dropout(h, p=self.dropout, training=self.training)
            parts.append(self._norm(self.norm1, h + x, batch))
        if batch is None:
            dense, mask = x.unsqueeze(0), None
        else:
            dense, mask = to_dense_batch(x, batch)
        h, _ = self.attn(dense, dense, dense, key_padding_mask=None if mask is None else ~mask,
                         need_weights=False)
        h = h[0] if mask is None else h[mask]
        h = F.dropout(h, p=self.dropout, training=self.training)
        parts.append(self._norm(self.norm2, h + x, batch))
        out = sum(parts[1:], parts[0])
        out = out + self.mlp(out)
        return self._norm(self.norm3, out, batch)

    def __repr__(self) -> str:
        return f"GPSConv({self.channels}, conv={self.conv}, heads={self.heads})"
