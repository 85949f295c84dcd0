"""Multi-aggregation: several aggregations of the same messages, combined into one output."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation, MeanAggregation, SumAggregation, resolve_aggregation

from ._segment import prepare
from .variance import StdAggregation, VarAggregation, moments, std_from_var, var_from_moments

MODES = ("cat", "proj", "attn", "sum", "mean", "max", "min", "logsumexp", "std", "var")

# Exact types whose results follow from (sum, sum of squares, count), computed once.
_MOMENT_TYPES = (SumAggregation, MeanAggregation, VarAggregation, StdAggregation)


class MultiAggregation(Aggregation):
    """Applies every aggregation in ``aggrs`` to the same messages and combines the results.

    Args:
        aggrs: aggregation names, classes or modules (e.g. ``["mean", "max", "std"]``).
        aggrs_kwargs: one kwargs dict per entry of ``aggrs`` (used for names and classes).
        mode: how to combine: ``"cat"`` (concatenate the feature dimension), ``"proj"``
            (concatenate, then a linear layer; needs ``mode_kwargs`` ``in_channels`` and
            ``out_channels``), ``"attn"`` (multi-head attention across the aggregations; needs
            ``in_channels``, ``out_channels`` and ``num_heads``), or an element-wise
            reduction over the aggregations: ``"sum"``, ``"mean"``, ``"max"``, ``"min"``,
            ``"logsumexp"``, ``"std"``, ``"var"`` (population std/var; a std whose
            variance is at most 1e-12 is 0, keeping gradients finite).
        mode_kwargs: extra arguments of the combining layer.

    Sum, mean, var and std among ``aggrs`` share one pass: the per-destination sum, sum of
    squares and count are computed once.
    """

    def __init__(self, aggrs: list, aggrs_kwargs: list[dict[str, Any]] | None = None,
                 mode: str = "cat", mode_kwargs: dict[str, Any] | None = None):
        super().__init__()
        if not isinstance(aggrs, (list, tuple)) or len(aggrs) == 0:
            raise ValueError(f"MultiAggregation: aggrs must be a non-empty list, got {aggrs!r}")
        if aggrs_kwargs is None:
            aggrs_kwargs = [{}] * len(aggrs)
        if len(aggrs_kwargs) != len(aggrs):
            raise ValueError(f"MultiAggregation: aggrs_kwargs has {len(aggrs_kwargs)} entries, "
                             f"expected one per aggregation ({len(aggrs)})")
        if mode not in MODES:
            raise ValueError(f"MultiAggregation: mode must be one of {MODES}, got {mode!r}")
        self.aggrs = torch.nn.ModuleList(
            [resolve_aggregation(a, **(kw or {})) for a, kw in zip(aggrs, aggrs_kwargs)])
        self.mode = mode
        mode_kwargs = dict(mode_kwargs or {})
        self.lin = None
        self.attn = None
        if mode in ("proj", "attn"):
            for key in ("in_channels", "out_channels"):
                if key not in mode_kwargs:
                    raise ValueError(f"MultiAggregation: mode={mode!r} needs mode_kwargs[{key!r}]")
            in_channels = mode_kwargs.pop("in_channels")
            out_channels = mode_kwargs.pop("out_channels")
            if mode == "proj":
                self.lin = torch.nn.Linear(len(self.aggrs) * in_channels, out_channels,
                                           **mode_kwargs)
            else:
                num_heads = mode_kwargs.pop("num_heads", 1)
                self.lin_heads = torch.nn.ModuleList(
                    [torch.nn.Linear(in_channels, out_channels) for _ in self.aggrs])
                self.attn = torch.nn.MultiheadAttention(out_channels, num_heads,
                                                        batch_first=True, **mode_kwargs)
        self._shared = [type(a) in _MOMENT_TYPES and not getattr(a, "semi_grad", False)
                        for a in self.aggrs]
        self.requires_sorted_index = any(a.requires_sorted_index for a in self.aggrs)

    def get_out_channels(self, in_channels: int) -> int:
        """``cat`` stacks every aggregation's features; ``proj``/``attn`` project to out_channels."""
        if self.mode == "cat":
            return sum(a.get_out_channels(in_channels) for a in self.aggrs)
        if self.lin is not None:
            return self.lin.out_features
        if self.attn is not None:
            return self.attn.embed_dim
        return in_channels

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        shared = None
        if sum(self._shared) >= 2 or any(
                s and type(a) in (VarAggregation, StdAggregation)
                for s, a in zip(self._shared, self.aggrs)):
            shared = moments(x, index, dim_size, dim)
        outs = []
        for aggr, use_shared in zip(self.aggrs, self._shared):
            if use_shared and shared is not None:
                outs.append(self._from_moments(aggr, *shared))
            else:
                outs.append(aggr(x, index, None, dim_size, dim))
        return self.combine(outs)

    @staticmethod
    def _from_moments(aggr: Aggregation, total: Tensor, squares: Tensor, count: Tensor) -> Tensor:
        if type(aggr) is SumAggregation:
            return total
        if type(aggr) is MeanAggregation:
            return total / count.clamp(min=1)
        var = var_from_moments(total, squares, count)
        if type(aggr) is VarAggregation:
            return var
        return std_from_var(var, aggr.eps)

    def combine(self, outs: list[Tensor]) -> Tensor:
        if len(outs) == 1 and self.mode not in ("proj", "attn"):
            return outs[0]
        if self.mode == "cat":
            return torch.cat(outs, dim=-1)
        if self.mode == "proj":
            return self.lin(torch.cat(outs, dim=-1))
        if self.mode == "attn":
            # Each destination attends over its aggregations (sequence length = len(aggrs)).
            seq = torch.stack([lin(o) for lin, o in zip(self.lin_heads, outs)], dim=-2)
            flat = seq.reshape(-1, seq.size(-2), seq.size(-1))
            attended, _ = self.attn(flat, flat, flat, need_weights=False)
            return attended.mean(dim=-2).reshape(*seq.shape[:-2], seq.size(-1))
        stacked = torch.stack(outs, dim=0)
        if self.mode == "sum":
            return stacked.sum(0)
        if self.mode == "mean":
            return stacked.mean(0)
        if self.mode == "max":
            return stacked.amax(0)
        if self.mode == "min":
            return stacked.amin(0)
        if self.mode == "logsumexp":
            return torch.logsumexp(stacked, dim=0)
        if self.mode == "var":
            return stacked.var(0, correction=0)
        return std_from_var(stacked.var(0, correction=0), 1e-12)

    def __repr__(self) -> str:
        inner = ", ".join(repr(a) for a in self.aggrs)
        return f"{type(self).__name__}([{inner}], mode={self.mode})"
