"""Quantile and median aggregations (sorting within each destination)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import bview, from_first, prepare, to_dense

INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


class QuantileAggregation(Aggregation):
    r"""The ``q``-quantile of the messages per destination, feature by feature.

    For a destination with ``n`` messages sorted as :math:`v_0 \le \dots \le v_{n-1}`, the
    quantile sits at position :math:`q(n-1)`; ``interpolation`` picks between its neighbours
    ``lower`` and ``higher`` as numpy does: ``"linear"``, ``"lower"``, ``"higher"``,
    ``"midpoint"`` or ``"nearest"`` (round half to even). A list of ``q`` concatenates the
    quantiles along the last dimension. Zero for a destination with no messages (``fill_value``).

    Not sum-like: it needs the largest number of messages per destination (one device sync).
    """

    def __init__(self, q: float | list[float], interpolation: str = "linear",
                 fill_value: float = 0.0):
        super().__init__()
        qs = list(q) if isinstance(q, (list, tuple)) else [q]
        if not qs or any(not 0.0 <= float(v) <= 1.0 for v in qs):
            raise ValueError(f"QuantileAggregation: q must be in [0, 1], got {q!r}")
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"QuantileAggregation: interpolation must be one of "
                             f"{INTERPOLATIONS}, got {interpolation!r}")
        self.q = [float(v) for v in qs]
        self.interpolation = interpolation
        self.fill_value = fill_value

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        dense, _, counts = to_dense(x, index, dim_size, dim, fill=float("inf"))
        # Padding (+inf) sorts last, so the first ``n`` sorted entries are the messages.
        ordered = dense.sort(dim=1).values
        outs = [from_first(self._one(ordered, counts, q), dim) for q in self.q]
        return outs[0] if len(outs) == 1 else torch.cat(outs, dim=-1)

    def _one(self, ordered: Tensor, counts: Tensor, q: float) -> Tensor:
        n1 = (counts - 1).clamp(min=0).to(ordered.dtype)
        pos = q * n1
        lo = pos.floor().long()
        hi = pos.ceil().long()

        def pick(idx: Tensor) -> Tensor:
            view = idx.view(-1, 1, *([1] * (ordered.dim() - 2)))
            view = view.expand(ordered.size(0), 1, *ordered.shape[2:])
            return ordered.gather(1, view).squeeze(1)

        if self.interpolation == "lower":
            out = pick(lo)
        elif self.interpolation == "higher":
            out = pick(hi)
        elif self.interpolation == "nearest":
            out = pick(pos.round().long())
        else:
            low, high = pick(lo), pick(hi)
            if self.interpolation == "midpoint":
                out = low + (high - low) * 0.5
            else:
                frac = bview(pos - lo.to(pos.dtype), low, 0)
                out = low + (high - low) * frac
        empty = bview(counts == 0, out, 0)
        return torch.where(empty, torch.full_like(out, self.fill_value), out)

    def __repr__(self) -> str:
        q = self.q[0] if len(self.q) == 1 else self.q
        return f"{type(self).__name__}(q={q}, interpolation={self.interpolation!r})"


class MedianAggregation(QuantileAggregation):
    """The median per destination: the lower middle message (``q=0.5``, ``"lower"``).

    A value that is one of the messages, never an average of two. Zero for a destination
    with no messages.
    """

    def __init__(self, fill_value: float = 0.0):
        super().__init__(0.5, "lower", fill_value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
