"""Neighbour sampling whose randomness is a function of ``(seed, epoch, hop, node)``.

Every random draw is a hash of ``(seed, epoch, hop, global node id, draw number)`` instead
of the next number of a generator, so the neighbours picked for a node do not depend on
which process samples it, in which order, or alongside which other nodes. A distributed
sampler that asks each partition's owner to sample its own nodes therefore returns
exactly what one process sampling the whole graph returns.

A hop is a callable ``hop(frontier, fanout, hop_index) -> (seg, neighbors, edge_ids)``:
for each sampled edge, the position in ``frontier`` of the node it was sampled for, the
neighbour's global id and the edge id. :func:`csc_hop` builds one over a CSC adjacency
(in memory or memory-mapped); :func:`sample_multi_hop` runs hops and relabels nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = ["NeighborSample", "keyed_uniform", "select_positions", "csc_hop", "sample_multi_hop"]

HopFn = Callable[[Tensor, int, int], tuple[Tensor, Tensor, Tensor]]

_MASK64 = (1 << 64) - 1


def _to_signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


_GOLDEN = _to_signed(0x9E3779B97F4A7C15)
_M1 = _to_signed(0xBF58476D1CE4E5B9)
_M2 = _to_signed(0x94D049BB133111EB)


def _shr(x: Tensor, s: int) -> Tensor:
    """Logical right shift of int64 bit patterns."""
    return (x >> s) & ((1 << (64 - s)) - 1)


def _mix(x: Tensor) -> Tensor:
    """splitmix64 finaliser on int64 bit patterns (multiplication wraps modulo 2**64)."""
    x = x + _GOLDEN
    x = (x ^ _shr(x, 30)) * _M1
    x = (x ^ _shr(x, 27)) * _M2
    return x ^ _shr(x, 31)


def keyed_uniform(seed: int, epoch: int, hop: int, node: Tensor, draw: Tensor) -> Tensor:
    """Uniform float64 numbers in ``[0, 1)``, one per ``(node, draw)`` pair (broadcast)."""
    base = _mix(torch.tensor(_to_signed(seed & _MASK64)))
    base = _mix(base ^ _to_signed(epoch & _MASK64))
    base = _mix(base ^ _to_signed(hop & _MASK64))
    h = _mix(_mix(base ^ node.long()) ^ draw.long())
    return _shr(h, 11).double() * (1.0 / (1 << 53))


def select_positions(nodes: Tensor, start: Tensor, deg: Tensor, k: int, seed: int, epoch: int,
                     hop: int) -> tuple[Tensor, Tensor]:
    """``(segment, position)`` of ``min(k, deg)`` distinct neighbours of each node.

    ``k == -1`` or ``deg <= k``: every neighbour; otherwise Floyd's subset algorithm with
    keyed draws, vectorised over nodes (``O(#nodes * k^2)``, independent of degrees).
    """
    take_all = deg <= k if k >= 0 else torch.ones_like(deg, dtype=torch.bool)
    whole = take_all.nonzero().view(-1)
    seg_a = torch.repeat_interleave(whole, deg[whole])
    first = torch.cumsum(deg[whole], 0) - deg[whole]
    pos_a = start[seg_a] + torch.arange(seg_a.numel()) - torch.repeat_interleave(first, deg[whole])
    big = (~take_all).nonzero().view(-1)
    if big.numel() == 0 or k == 0:
        return seg_a, pos_a
    d = deg[big]
    u = keyed_uniform(seed, epoch, hop, nodes[big].unsqueeze(1), torch.arange(k).unsqueeze(0))
    chosen = torch.empty(big.numel(), k, dtype=torch.long)
    for i in range(k):
        j = d - k + i  # draw from [0, j]; a repeat takes j itself, which is still unused
        t = (u[:, i] * (j + 1).double()).long().clamp_max_(j)
        repeat = (chosen[:, :i] == t.unsqueeze(1)).any(1)
        chosen[:, i] = torch.where(repeat, j, t)
    chosen = torch.sort(chosen, dim=1).values  # neighbours in adjacency order
    seg_b = big.repeat_interleave(k)
    pos_b = (start[big].unsqueeze(1) + chosen).view(-1)
    seg, pos = torch.cat([seg_a, seg_b]), torch.cat([pos_a, pos_b])
    order = torch.argsort(seg, stable=True)
    return seg[order], pos[order]


def csc_hop(colptr: Tensor, row: Tensor, perm: Tensor | None, seed: int, epoch: int) -> HopFn:
    """A hop over a CSC adjacency: ``row[colptr[v]:colptr[v+1]]`` are ``v``'s sources.

    Only the pointer entries of the frontier and the sampled positions are read, so
    memory-mapped tensors stay on disk except for the pages touched.
    """

    def hop(frontier: Tensor, k: int, hop_index: int) -> tuple[Tensor, Tensor, Tensor]:
        start = colptr[frontier]
        deg = colptr[frontier + 1] - start
        seg, pos = select_positions(frontier, start, deg, k, seed, epoch, hop_index)
        return seg, row[pos], (perm[pos] if perm is not None else pos)

    return hop


@dataclass
class NeighborSample:
    """A sampled subgraph: ``n_id`` (seeds first, then new nodes per hop in order of first
    appearance), ``edge_index`` in local ids (row 0: neighbour, row 1: the node it was
    sampled for), the sampled edges' ids ``e_id`` and per-hop counts."""

    n_id: Tensor
    edge_index: Tensor
    e_id: Tensor
    num_sampled_nodes: list[int]
    num_sampled_edges: list[int]


def sample_multi_hop(hop: HopFn, seeds: Tensor, num_neighbors: list[int]) -> NeighborSample:
    """Run ``len(num_neighbors)`` hops from ``seeds`` and relabel nodes to local ids."""
    seeds = seeds.long()
    distinct = _first_appearance(seeds)
    first_slot = _local_of(seeds, distinct)  # a repeated seed is expanded from its first slot
    known, order = torch.sort(distinct)
    known_local = first_slot[order]
    frontier_global, frontier_local, count = distinct, first_slot, seeds.numel()
    n_ids, rows, cols, eids = [seeds], [], [], []
    num_nodes, num_edges = [seeds.numel()], []
    for hop_index, k in enumerate(num_neighbors):
        seg, nbr, eid = hop(frontier_global, k, hop_index)
        at = torch.searchsorted(known, nbr).clamp_max_(max(known.numel() - 1, 0))
        found = known[at] == nbr if known.numel() else torch.zeros_like(nbr, dtype=torch.bool)
        fresh = _first_appearance(nbr[~found])
        fresh_local = torch.arange(count, count + fresh.numel())
        count += fresh.numel()
        known, order = torch.sort(torch.cat([known, fresh]))
        known_local = torch.cat([known_local, fresh_local])[order]
        rows.append(known_local[torch.searchsorted(known, nbr)])
        cols.append(frontier_local[seg])
        eids.append(eid)
        n_ids.append(fresh)
        num_nodes.append(fresh.numel())
        num_edges.append(seg.numel())
        frontier_global, frontier_local = fresh, fresh_local
    empty = torch.empty(0, dtype=torch.long)
    return NeighborSample(
        n_id=torch.cat(n_ids),
        edge_index=torch.stack([torch.cat(rows) if rows else empty, torch.cat(cols) if cols else empty]),
        e_id=torch.cat(eids) if eids else empty,
        num_sampled_nodes=num_nodes, num_sampled_edges=num_edges)


def _first_appearance(ids: Tensor) -> Tensor:
    """Distinct values of ``ids`` in order of first appearance."""
    if ids.numel() == 0:
        return ids
    uniq, inv = torch.unique(ids, return_inverse=True)
    first = torch.full((uniq.numel(),), ids.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inv, torch.arange(ids.numel()), reduce="amin")
    return uniq[torch.argsort(first)]


def _local_of(ids: Tensor, distinct: Tensor) -> Tensor:
    """For the distinct ids, the first position in ``ids`` holding each one."""
    uniq, inv = torch.unique(ids, return_inverse=True)
    first = torch.full((uniq.numel(),), ids.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inv, torch.arange(ids.numel()), reduce="amin")
    return first[torch.searchsorted(uniq, distinct)]
