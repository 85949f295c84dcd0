"""One hop of neighbour selection: which entries of a compressed graph each frontier node keeps.

Every function returns ``(seg, pos)``: for each picked entry, the index of the frontier node
it was picked for and its position in ``col``. Nothing loops over nodes or edges in Python;
random numbers are drawn in bulk from the given generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor

__all__ = ["HopGraph", "pick_neighbors"]

TEMPORAL_STRATEGIES = ("uniform", "last")


@dataclass
class HopGraph:
    """A compressed graph to sample from: ``col[rowptr[v]:rowptr[v + 1]]`` are ``v``'s neighbours.

    ``e_id`` maps positions of ``col`` to input edge ids; ``weight`` and ``edge_time`` are
    aligned with ``col``; ``nbr_time`` is the per-node time of the neighbours' node type.
    """

    rowptr: Tensor
    col: Tensor
    e_id: Tensor | None = None
    weight: Tensor | None = None
    edge_time: Tensor | None = None
    nbr_time: Tensor | None = None
    _cum_weight: Tensor | None = field(default=None, repr=False)

    @property
    def cum_weight(self) -> Tensor:
        """Exclusive prefix sums of ``weight`` (float64), built on first use."""
        if self._cum_weight is None:
            cum = torch.zeros(self.col.numel() + 1, dtype=torch.float64)
            torch.cumsum(self.weight.double(), 0, out=cum[1:])
            self._cum_weight = cum
        return self._cum_weight

    @property
    def temporal(self) -> bool:
        return self.edge_time is not None or self.nbr_time is not None

    def entry_time(self, pos: Tensor) -> Tensor:
        if self.edge_time is not None:
            return self.edge_time.index_select(0, pos)
        return self.nbr_time.index_select(0, self.col.index_select(0, pos))


def expand(start: Tensor, count: Tensor) -> tuple[Tensor, Tensor]:
    """For segments ``[start[i], start[i] + count[i])``: (segment id, position) of each slot."""
    seg = torch.repeat_interleave(torch.arange(count.numel()), count)
    first = torch.cumsum(count, 0) - count
    offset = torch.arange(seg.numel()) - first.index_select(0, seg)
    return seg, start.index_select(0, seg) + offset


def _uniform_without_replacement(start: Tensor, deg: Tensor, k: int, generator) -> tuple[Tensor, Tensor]:
    """``min(k, deg)`` distinct uniform picks per segment.

    Segments with ``deg <= k`` are taken whole; the others run Floyd's subset algorithm
    with the loop over the ``k`` draws and every segment handled at once, so the cost is
    ``O(#segments * k^2)`` however large the degrees.
    """
    small = deg <= k
    seg_a, pos_a = expand(start[small], deg[small])
    seg_a = small.nonzero().view(-1).index_select(0, seg_a)
    big = (~small).nonzero().view(-1)
    if big.numel() == 0:
        return seg_a, pos_a
    d = deg.index_select(0, big)
    u = torch.rand(big.numel(), k, generator=generator, dtype=torch.float64)
    chosen = torch.empty(big.numel(), k, dtype=torch.long)
    for i in range(k):
        j = d - k + i  # draw from [0, j]; on a repeat take j itself, which is still unused
        t = (u[:, i] * (j + 1)).long().clamp_max_(j)
        repeat = (chosen[:, :i] == t.unsqueeze(1)).any(1)
        chosen[:, i] = torch.where(repeat, j, t)
    seg_b = big.repeat_interleave(k)
    pos_b = (start.index_select(0, big).unsqueeze(1) + chosen).view(-1)
    return torch.cat([seg_a, seg_b]), torch.cat([pos_a, pos_b])


def _uniform_with_replacement(start: Tensor, deg: Tensor, k: int, generator) -> tuple[Tensor, Tensor]:
    count = torch.where(deg > 0, k, 0)
    seg = torch.repeat_interleave(torch.arange(deg.numel()), count)
    u = torch.rand(seg.numel(), generator=generator, dtype=torch.float64)
    d = deg.index_select(0, seg)
    off = (u * d).long().clamp_max_(d - 1)
    return seg, start.index_select(0, seg) + off


def _weighted_with_replacement(cum: Tensor, lo_idx: Tensor, count: Tensor, k: int,
                               generator) -> tuple[Tensor, Tensor]:
    """``k`` draws per segment ``[lo_idx, lo_idx + count)`` of the inclusive-sum array ``cum[1:]``."""
    lo = cum.index_select(0, lo_idx)
    total = cum.index_select(0, lo_idx + count) - lo
    seg = torch.repeat_interleave(torch.arange(count.numel()), torch.where(total > 0, k, 0))
    u = torch.rand(seg.numel(), generator=generator, dtype=torch.float64)
    idx = torch.searchsorted(cum[1:], lo.index_select(0, seg) + u * total.index_select(0, seg), right=True)
    # Guard rounding at segment ends (never leave the segment).
    return seg, torch.minimum(idx, (lo_idx + count - 1).index_select(0, seg))


def _keep_smallest(seg: Tensor, pos: Tensor, key: Tensor, k: int, num_seg: int) -> tuple[Tensor, Tensor]:
    """Per segment, the ``k`` entries of smallest ``key`` (input grouped by segment)."""
    order = torch.argsort(key)
    order = order.index_select(0, torch.argsort(seg.index_select(0, order), stable=True))
    seg, pos = seg.index_select(0, order), pos.index_select(0, order)
    n_cand = torch.bincount(seg, minlength=num_seg)
    rank = torch.arange(seg.numel()) - (torch.cumsum(n_cand, 0) - n_cand).index_select(0, seg)
    keep = rank < k
    return seg[keep], pos[keep]


def pick_neighbors(
    graph: HopGraph,
    frontier: Tensor,
    k: int,
    replace: bool = False,
    generator: torch.Generator | None = None,
    root_time: Tensor | None = None,
    temporal_strategy: str = "uniform",
) -> tuple[Tensor, Tensor]:
    """Select up to ``k`` neighbours (``-1``: all) of every node in ``frontier``.

    With ``root_time`` (one per frontier node), only entries whose time is ``<=`` it are
    candidates; ``temporal_strategy="last"`` then keeps the ``k`` most recent instead of a
    random ``k``. Zero-weight entries are never picked.
    """
    start = graph.rowptr.index_select(0, frontier)
    deg = graph.rowptr.index_select(0, frontier + 1) - start
    weight = graph.weight
    if k == 0 or frontier.numel() == 0:
        empty = torch.empty(0, dtype=torch.long)
        return empty, empty
    filtered = root_time is not None
    if not filtered and k != -1:
        if weight is None:
            if replace:
                return _uniform_with_replacement(start, deg, k, generator)
            return _uniform_without_replacement(start, deg, k, generator)
        if replace:
            return _weighted_with_replacement(graph.cum_weight, start, deg, k, generator)
    # General path: list every candidate entry, drop invalid ones, then choose among them.
    seg, pos = expand(start, deg)
    valid = weight.index_select(0, pos) > 0 if weight is not None else None
    if filtered:
        ok = graph.entry_time(pos) <= root_time.index_select(0, seg)
        valid = ok if valid is None else valid & ok
    if valid is not None:
        seg, pos = seg[valid], pos[valid]
    if k == -1:
        return seg, pos
    n_cand = torch.bincount(seg, minlength=frontier.numel())
    if filtered and temporal_strategy == "last":
        if not bool((n_cand > k).any()):
            return seg, pos
        return _keep_smallest(seg, pos, -graph.entry_time(pos).double(), k, frontier.numel())
    if replace:
        w = weight.index_select(0, pos).double() if weight is not None else torch.ones(pos.numel(), dtype=torch.float64)
        cum = torch.zeros(pos.numel() + 1, dtype=torch.float64)
        torch.cumsum(w, 0, out=cum[1:])
        first = torch.cumsum(n_cand, 0) - n_cand
        seg2, idx = _weighted_with_replacement(cum, first, n_cand, k, generator)
        return seg2, pos.index_select(0, idx)
    if not bool((n_cand > k).any()):
        return seg, pos
    u = torch.rand(pos.numel(), generator=generator, dtype=torch.float64)
    # Exponential race: the k smallest Exp(1) / w are a weighted sample without replacement.
    key = -torch.log1p(-u) / weight.index_select(0, pos).double() if weight is not None else u
    return _keep_smallest(seg, pos, key, k, frontier.numel())
