"""Combining the results that several edge types send to one node type."""

from __future__ import annotations

import torch
from torch import Tensor

AGGREGATIONS = ("sum", "add", "mean", "max", "min", "mul", "cat", None)


def check_aggr(aggr, owner: str) -> None:
    if aggr not in AGGREGATIONS:
        raise ValueError(f"{owner}: aggr must be one of {AGGREGATIONS}, got {aggr!r}")


def group(xs: list[Tensor], aggr: str | None) -> Tensor:
    """Combine ``xs`` (one tensor per edge type, same shape) by ``aggr``.

    ``"cat"`` concatenates along the last axis; ``None`` stacks along axis 1.
    """
    if len(xs) == 1 and aggr not in ("cat", None):
        return xs[0]
    if aggr in ("sum", "add"):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out
    if aggr == "cat":
        return torch.cat(xs, dim=-1)
    stacked = torch.stack(xs, dim=1 if aggr is None else 0)
    if aggr is None:
        return stacked
    if aggr == "mean":
        return stacked.mean(0)
    if aggr == "max":
        return stacked.amax(0)
    if aggr == "min":
        return stacked.amin(0)
    return stacked.prod(0)
