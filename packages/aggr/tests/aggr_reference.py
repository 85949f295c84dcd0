"""Brute-force helpers shared by the tests (independent of geode_aggr)."""

import torch


def segments(x, index, n):
    """The rows of ``x`` of each destination, in input order (brute force)."""
    return [x[[i for i in range(len(index)) if int(index[i]) == d]] for d in range(n)]


def ptr_from(index, n):
    counts = torch.bincount(index, minlength=n)
    return torch.cat([torch.zeros(1, dtype=torch.long), counts.cumsum(0)])


def trains(aggr, x, index, n, **kw):
    """Backward reaches every parameter, and a step changes them."""
    before = [p.detach().clone() for p in aggr.parameters()]
    opt = torch.optim.SGD(aggr.parameters(), lr=0.1)
    out = aggr(x, index, dim_size=n, **kw)
    assert torch.isfinite(out).all()
    out.pow(2).sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in aggr.parameters())
    opt.step()
    assert any(not torch.equal(a, b.detach()) for a, b in zip(before, aggr.parameters()))
