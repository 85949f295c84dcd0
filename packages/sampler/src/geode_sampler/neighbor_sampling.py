"""Multi-hop neighbour sampling on a compressed graph, vectorised over every node of a hop.

Per hop, for every frontier node ``v`` with (valid) degree ``d`` and fan-out ``k``:

* ``k == -1``: all ``d`` neighbours;
* without replacement: ``min(k, d)`` distinct neighbours. Uniform: nodes with ``d <= k``
  give all, the others Floyd's subset algorithm vectorised over nodes (cost independent of
  ``d``). Weighted or temporal: every candidate edge gets a random key (uniform ``u``, or ``-log(u) / w`` for weights ``w``: the "exponential race",
  whose ``k`` smallest keys are a weighted sample without replacement); one sort by
  (node, key) then keeps the first ``k`` of each node;
* with replacement: ``k`` draws (none if ``d == 0``), uniform offsets or, with weights,
  inverse-CDF search in the per-node cumulative weights.

No Python loop runs over nodes or edges; random numbers are drawn in bulk from the given
``torch.Generator``, so a seeded generator reproduces the sample exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = ["SamplerOutput", "sample_neighbors"]


@dataclass
class SamplerOutput:
    """What one call of :func:`sample_neighbors` returns.

    * ``n_id``: global ids of the sampled nodes, seeds first, then each hop's new nodes in
      order of first appearance;
    * ``e_id``: the input graph's ids of the sampled edges;
    * ``edge_index``: ``[2, num_sampled_edges]`` in local ids (indices into ``n_id``); row 0
      is the sampled neighbour (message source), row 1 the node it was sampled for;
    * ``num_sampled_nodes`` / ``num_sampled_edges``: counts per hop (nodes: seeds first);
    * ``batch``: for ``disjoint=True``, the seed position each node belongs to, else None.
    """

    n_id: Tensor
    e_id: Tensor
    edge_index: Tensor
    num_sampled_nodes: list[int]
    num_sampled_edges: list[int]
    batch: Tensor | None = None

    @property
    def row(self) -> Tensor:
        return self.edge_index[0]

    @property
    def col(self) -> Tensor:
        return self.edge_index[1]


def _expand(start: Tensor, count: Tensor) -> tuple[Tensor, Tensor]:
    """For segments ``[start[i], start[i] + count[i])``: (segment id, position) of each slot."""
    seg = torch.repeat_interleave(torch.arange(count.numel()), count)
    first = torch.cumsum(count, 0) - count
    offset = torch.arange(seg.numel()) - first[seg]
    return seg, start[seg] + offset


def _uniform_without_replacement(start: Tensor, deg: Tensor, k: int, generator) -> tuple[Tensor, Tensor]:
    """``(segment, position)`` of ``min(k, deg)`` distinct uniform picks per segment.

    Segments with ``deg <= k`` are taken whole; the others run Floyd's subset algorithm
    with the loop over the ``k`` draws and every segment handled at once, so the cost is
    ``O(#segments * k^2)`` however large the degrees.
    """
    small = deg <= k
    seg_a, pos_a = _expand(start[small], deg[small])
    seg_a = small.nonzero().view(-1)[seg_a]
    big = (~small).nonzero().view(-1)
    if big.numel() == 0:
        return seg_a, pos_a
    d = deg[big]
    u = torch.rand(big.numel(), k, generator=generator, dtype=torch.float64)
    chosen = torch.empty(big.numel(), k, dtype=torch.long)
    for i in range(k):
        j = d - k + i  # draw from [0, j]; on a repeat take j itself, which is still unused
        t = (u[:, i] * (j + 1)).long().clamp_max_(j)
        repeat = (chosen[:, :i] == t.unsqueeze(1)).any(1)
        chosen[:, i] = torch.where(repeat, j, t)
    seg_b = big.repeat_interleave(k)
    pos_b = (start[big].unsqueeze(1) + chosen).view(-1)
    return torch.cat([seg_a, seg_b]), torch.cat([pos_a, pos_b])


def _first_occurrence_unique(keys: Tensor) -> Tensor:
    """Distinct values of ``keys`` in order of first appearance."""
    if keys.numel() == 0:
        return keys
    uniq, inv = torch.unique(keys, return_inverse=True)
    first = torch.full((uniq.numel(),), keys.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inv, torch.arange(keys.numel()), reduce="amin")
    return uniq[torch.argsort(first)]


def _check_inputs(rowptr, col, seeds, num_neighbors, weight, node_time, seed_time, disjoint, replace):
    for name, t in (("rowptr", rowptr), ("col", col), ("seeds", seeds)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if t.dim() != 1:
            raise ValueError(f"{name} must be 1-dimensional, got shape {list(t.shape)}")
        if t.dtype not in (torch.int64, torch.int32):
            raise TypeError(f"{name} must be int64 or int32, got {t.dtype}")
    if rowptr.numel() < 1:
        raise ValueError("rowptr must have num_nodes + 1 >= 1 entries")
    num_nodes = rowptr.numel() - 1
    if int(rowptr[-1]) != col.numel():
        raise ValueError(f"rowptr[-1] ({int(rowptr[-1])}) must equal col.numel() ({col.numel()})")
    if seeds.numel() and (int(seeds.min()) < 0 or int(seeds.max()) >= num_nodes):
        raise ValueError(
            f"seeds must lie in [0, num_nodes={num_nodes}), got range "
            f"[{int(seeds.min())}, {int(seeds.max())}]"
        )
    if not isinstance(num_neighbors, (list, tuple)) or not all(
        isinstance(k, int) and (k >= 0 or k == -1) for k in num_neighbors
    ):
        raise ValueError(f"num_neighbors must be a list of ints >= 0 or -1, got {num_neighbors!r}")
    if weight is not None:
        if weight.shape != col.shape or not weight.is_floating_point():
            raise ValueError(
                f"weight must be a float tensor of shape {list(col.shape)} (one per entry of col), "
                f"got {weight.dtype} {list(weight.shape)}"
            )
        if weight.numel() and bool((weight < 0).any()):
            raise ValueError("weight must be non-negative")
    if (node_time is None) != (seed_time is None) and node_time is None:
        raise ValueError("seed_time needs node_time")
    if node_time is not None:
        if node_time.shape != (num_nodes,):
            raise ValueError(f"node_time must have shape [{num_nodes}], got {list(node_time.shape)}")
        if not disjoint:
            raise ValueError("temporal sampling (node_time) requires disjoint=True")
        if replace:
            raise NotImplementedError("temporal sampling with replace=True is not supported")
        if seed_time is not None and seed_time.shape != seeds.shape:
            raise ValueError(f"seed_time must have shape {list(seeds.shape)}, got {list(seed_time.shape)}")


def sample_neighbors(
    rowptr: Tensor,
    col: Tensor,
    seeds: Tensor,
    num_neighbors: list[int],
    replace: bool = False,
    generator: torch.Generator | None = None,
    weight: Tensor | None = None,
    disjoint: bool = False,
    e_id: Tensor | None = None,
    node_time: Tensor | None = None,
    seed_time: Tensor | None = None,
) -> SamplerOutput:
    """Sample ``len(num_neighbors)`` hops of neighbours around ``seeds``.

    ``rowptr``/``col`` describe, per node, the neighbours to sample from (use
    :func:`geode_sampler.csr.to_csc` for incoming neighbours). ``weight`` is aligned with
    ``col``; zero-weight entries are never sampled. ``e_id`` maps positions of ``col`` to
    the input graph's edge ids (the compressed graph's permutation); without it the
    returned ``e_id`` are positions in ``col``. ``disjoint=True`` grows one separate tree
    per seed (a node reached from two seeds appears twice). With ``node_time`` (one
    timestamp per node) and ``disjoint=True``, no node newer than its tree's seed time
    (``seed_time``, default the seed's own ``node_time``) is ever sampled.
    """
    _check_inputs(rowptr, col, seeds, num_neighbors, weight, node_time, seed_time, disjoint, replace)
    rowptr, col, seeds = rowptr.long(), col.long(), seeds.long()
    num_nodes = rowptr.numel() - 1
    num_seeds = seeds.numel()

    # Nodes are identified by a key: the global id, or (tree, global id) when disjoint.
    stride = num_nodes if num_nodes > 0 else 1
    if disjoint:
        seed_keys = torch.arange(num_seeds) * stride + seeds
    else:
        seed_keys = seeds
    if disjoint or num_seeds == 0:
        seed_local = torch.arange(num_seeds)
        known_keys, known_local = torch.sort(seed_keys)
        known_local = seed_local[known_local]
    else:
        # Duplicate seeds keep their slots in n_id; edges attach to the first occurrence.
        known_keys, order = torch.sort(seed_keys, stable=True)
        keep = torch.ones_like(known_keys, dtype=torch.bool)
        keep[1:] = known_keys[1:] != known_keys[:-1]
        known_keys, known_local = known_keys[keep], order[keep]

    root_time = None
    if node_time is not None:
        root_time = seed_time if seed_time is not None else node_time[seeds]

    n_ids = [seeds]
    batches = [torch.arange(num_seeds)] if disjoint else []
    rows, cols, eids = [], [], []
    num_sampled_nodes, num_sampled_edges = [num_seeds], []
    cum_weight = None
    table = first_at = None
    # A repeated seed (non-disjoint) is expanded once, from its first slot.
    frontier_local = torch.sort(known_local).values if not disjoint else torch.arange(num_seeds)
    frontier_global = seeds[frontier_local]
    frontier_batch = torch.arange(num_seeds) if disjoint else None
    num_local = num_seeds

    for k in num_neighbors:
        start = rowptr[frontier_global]
        deg = rowptr[frontier_global + 1] - start
        if k == 0 or frontier_global.numel() == 0:
            seg = torch.empty(0, dtype=torch.long)
            pos = torch.empty(0, dtype=torch.long)
        elif replace and k != -1:
            if weight is None:
                count = torch.where(deg > 0, k, 0)
                seg = torch.repeat_interleave(torch.arange(deg.numel()), count)
                u = torch.rand(seg.numel(), generator=generator, dtype=torch.float64)
                off = (u * deg[seg]).long().clamp_max_(deg[seg] - 1)
                pos = start[seg] + off
            else:
                if cum_weight is None:
                    cum_weight = torch.zeros(col.numel() + 1, dtype=torch.float64)
                    torch.cumsum(weight.double(), 0, out=cum_weight[1:])
                lo = cum_weight[start]
                total = cum_weight[start + deg] - lo
                count = torch.where(total > 0, k, 0)
                seg = torch.repeat_interleave(torch.arange(deg.numel()), count)
                u = torch.rand(seg.numel(), generator=generator, dtype=torch.float64)
                target = lo[seg] + u * total[seg]
                pos = torch.searchsorted(cum_weight[1:], target, right=True)
                # Guard rounding at segment ends; skip trailing zero-weight entries.
                pos = torch.minimum(pos, start[seg] + deg[seg] - 1)
        elif k != -1 and weight is None and root_time is None:
            seg, pos = _uniform_without_replacement(start, deg, k, generator)
        else:
            seg, pos = _expand(start, deg)
            valid = None
            if weight is not None:
                valid = weight[pos] > 0
            if root_time is not None:
                ok = node_time[col[pos]] <= root_time[frontier_batch[seg]]
                valid = ok if valid is None else valid & ok
            if valid is not None:
                seg, pos = seg[valid], pos[valid]
            if k != -1:
                n_cand = torch.bincount(seg, minlength=deg.numel())
                if bool((n_cand > k).any()):
                    u = torch.rand(pos.numel(), generator=generator, dtype=torch.float64)
                    if weight is not None:
                        key = -torch.log1p(-u) / weight[pos].double()  # Exp(1) / w
                    else:
                        key = u
                    # Order by (segment, key): sort by key, then stable sort by segment.
                    order = torch.argsort(key)
                    order = order[torch.argsort(seg[order], stable=True)]
                    seg, pos = seg[order], pos[order]
                    first = torch.cumsum(n_cand, 0) - n_cand
                    rank = torch.arange(seg.numel()) - first[seg]
                    keep = rank < k
                    seg, pos = seg[keep], pos[keep]

        nbr_global = col[pos]
        nbr_batch = frontier_batch[seg] if disjoint else None
        nbr_keys = nbr_batch * stride + nbr_global if disjoint else nbr_global

        if not disjoint:
            # Dense global -> local table: no sorting, new nodes in order of first appearance.
            if table is None:
                table = torch.full((num_nodes,), -1, dtype=torch.long)
                table[known_keys] = known_local  # distinct seeds -> first slot
                first_at = torch.full((num_nodes,), -1, dtype=torch.long)
            unseen = nbr_global[table[nbr_global] < 0]
            idx = torch.arange(unseen.numel())
            first_at.index_fill_(0, unseen, unseen.numel())
            first_at.scatter_reduce_(0, unseen, idx, reduce="amin")
            new_keys = unseen[first_at[unseen] == idx]
            new_local = torch.arange(num_local, num_local + new_keys.numel())
            num_local += new_keys.numel()
            table[new_keys] = new_local
            nbr_local = table[nbr_global]
            n_ids.append(new_keys)
            rows.append(nbr_local)
            cols.append(frontier_local[seg])
            eids.append(e_id[pos] if e_id is not None else pos)
            num_sampled_nodes.append(int(new_keys.numel()))
            num_sampled_edges.append(int(pos.numel()))
            frontier_local, frontier_global = new_local, new_keys
            continue

        # Disjoint: look (tree, node) keys up among those seen so far; new ones get next ids.
        at = torch.searchsorted(known_keys, nbr_keys)
        if known_keys.numel():
            found = (at < known_keys.numel()) & (known_keys[at.clamp_max(known_keys.numel() - 1)] == nbr_keys)
        else:
            found = torch.zeros_like(nbr_keys, dtype=torch.bool)
        new_keys = _first_occurrence_unique(nbr_keys[~found])
        new_local = torch.arange(num_local, num_local + new_keys.numel())
        num_local += new_keys.numel()
        known_keys = torch.cat([known_keys, new_keys])
        known_keys, order = torch.sort(known_keys)
        known_local = torch.cat([known_local, new_local])[order]
        nbr_local = known_local[torch.searchsorted(known_keys, nbr_keys)]

        if disjoint:
            new_batch, new_global = new_keys // stride, new_keys % stride
            batches.append(new_batch)
        else:
            new_global, new_batch = new_keys, None
        n_ids.append(new_global)
        rows.append(nbr_local)
        cols.append(frontier_local[seg])
        eids.append(e_id[pos] if e_id is not None else pos)
        num_sampled_nodes.append(int(new_keys.numel()))
        num_sampled_edges.append(int(pos.numel()))
        frontier_local, frontier_global, frontier_batch = new_local, new_global, new_batch

    empty = torch.empty(0, dtype=torch.long)
    row = torch.cat(rows) if rows else empty
    colx = torch.cat(cols) if cols else empty
    return SamplerOutput(
        n_id=torch.cat(n_ids),
        e_id=torch.cat(eids) if eids else empty,
        edge_index=torch.stack([row, colx]),
        num_sampled_nodes=num_sampled_nodes,
        num_sampled_edges=num_sampled_edges,
        batch=torch.cat(batches) if disjoint else None,
    )
