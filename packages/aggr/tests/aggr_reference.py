"""Brute-force helpers shared by the tests (independent of geode_aggr)."""

import torch


def segments(x, index, n):
    """The rows of ``x`` of each destination, in input order (brute force)."""
    return [x[[i for i in range(len(index)) if int(index[i]) == d]] for d in range(n)]


def ptr_from(index, n):
    counts = torch.bincount(index, minlength=n)
    return torch.cat([torch.zeros(1, dtype=torch.long), counts.cumsum(0)])
