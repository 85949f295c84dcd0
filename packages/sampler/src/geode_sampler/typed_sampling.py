"""Multi-hop neighbour sampling over typed graphs (one compressed graph per edge type).

Hop ``h`` expands, for every edge type ``(src, rel, dst)``, the ``dst`` nodes that were new
in hop ``h - 1`` (the seeds for hop 0) and adds the picked ``src`` neighbours; nodes found
through several edge types in one hop are merged. A homogeneous graph is the case of one
node type and one edge type (:func:`geode_sampler.sample_neighbors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from .node_index import DenseIndex, TreeIndex
from .pick import TEMPORAL_STRATEGIES, HopGraph, pick_neighbors

__all__ = ["HeteroSamplerOutput", "sample_typed"]

EdgeType = tuple[str, str, str]


@dataclass
class HeteroSamplerOutput:
    """Per node type ``n_id``/``num_sampled_nodes``/``batch``; per edge type ``e_id``,
    ``edge_index`` (row: local ids in the source type, col: in the destination type) and
    ``num_sampled_edges``. ``metadata`` carries what a loader needs to build its batch."""

    n_id: dict[str, Tensor]
    e_id: dict[EdgeType, Tensor]
    edge_index: dict[EdgeType, Tensor]
    num_sampled_nodes: dict[str, list[int]]
    num_sampled_edges: dict[EdgeType, list[int]]
    batch: dict[str, Tensor] | None = None
    metadata: Any = field(default=None)


def _check_num_neighbors(num_neighbors: dict[EdgeType, list[int]]) -> int:
    hops = {len(v) for v in num_neighbors.values()}
    if len(hops) > 1:
        raise ValueError(f"num_neighbors must give the same number of hops for every edge type, "
                         f"got {dict(num_neighbors)}")
    for et, ks in num_neighbors.items():
        if not isinstance(ks, (list, tuple)) or not all(isinstance(k, int) and (k >= 0 or k == -1) for k in ks):
            raise ValueError(f"num_neighbors[{et!r}] must be a list of ints >= 0 or -1, got {ks!r}")
    return hops.pop() if hops else 0


def sample_typed(
    graphs: dict[EdgeType, HopGraph],
    num_nodes: dict[str, int],
    seeds: dict[str, Tensor],
    num_neighbors: dict[EdgeType, list[int]],
    replace: bool = False,
    disjoint: bool = False,
    generator: torch.Generator | None = None,
    seed_time: dict[str, Tensor] | None = None,
    temporal_strategy: str = "uniform",
) -> HeteroSamplerOutput:
    """Sample around ``seeds`` (per node type); ``graphs[(src, rel, dst)]`` lists, per ``dst``
    node, its ``src`` neighbours. With ``seed_time`` (per seed type, needs ``disjoint``),
    no entry newer than its tree's seed time is picked."""
    if temporal_strategy not in TEMPORAL_STRATEGIES:
        raise ValueError(f"temporal_strategy must be one of {TEMPORAL_STRATEGIES}, got {temporal_strategy!r}")
    num_hops = _check_num_neighbors(num_neighbors)
    missing = [et for et in num_neighbors if et not in graphs]
    if missing:
        raise ValueError(f"num_neighbors names edge types {missing} that the graph lacks; "
                         f"edge types: {list(graphs)}")
    if seed_time is not None and not disjoint:
        raise ValueError("temporal sampling (seed_time) requires disjoint=True")
    if seed_time is not None and replace and temporal_strategy == "last":
        raise ValueError("temporal_strategy='last' takes the most recent neighbours; it cannot "
                         "be combined with replace=True")
    node_types = list(num_nodes)
    root_time = None
    index, frontier, seed_ids = {}, {}, {}
    tree_offset = 0
    for nt in node_types:
        s = seed_ids[nt] = seeds.get(nt, torch.empty(0, dtype=torch.long)).long()
        if s.numel() and (int(s.min()) < 0 or int(s.max()) >= num_nodes[nt]):
            raise ValueError(f"seeds of node type {nt!r} must lie in [0, {num_nodes[nt]}), got range "
                             f"[{int(s.min())}, {int(s.max())}]")
        index[nt] = TreeIndex(num_nodes[nt], s, tree_offset) if disjoint else DenseIndex(num_nodes[nt], s)
        tree_offset += s.numel()
        frontier[nt] = index[nt].seed_frontier()
    if seed_time is not None:
        root_time = torch.cat([seed_time.get(nt, torch.empty(0)) for nt in node_types]).double() \
            if node_types else torch.empty(0)
        if root_time.numel() != tree_offset:
            raise ValueError(f"seed_time must give one time per seed ({tree_offset}), got {root_time.numel()}")

    n_ids = {nt: [seed_ids[nt]] for nt in node_types}
    batches = {nt: [frontier[nt][2]] for nt in node_types} if disjoint else None
    num_sampled_nodes = {nt: [n_ids[nt][0].numel()] for nt in node_types}
    rows = {et: [] for et in num_neighbors}
    cols = {et: [] for et in num_neighbors}
    eids = {et: [] for et in num_neighbors}
    num_sampled_edges = {et: [] for et in num_neighbors}

    for hop in range(num_hops):
        new = {nt: [] for nt in node_types}
        for et, ks in num_neighbors.items():
            src_t, _, dst_t = et
            graph = graphs[et]
            f_local, f_global, f_batch = frontier[dst_t]
            seg, pos = pick_neighbors(
                graph, f_global, ks[hop], replace=replace, generator=generator,
                root_time=root_time.index_select(0, f_batch) if root_time is not None else None,
                temporal_strategy=temporal_strategy,
            )
            nbr_global = graph.col.index_select(0, pos)
            nbr_local, new_local, new_global, new_batch = index[src_t].add(
                nbr_global, f_batch.index_select(0, seg) if disjoint else None)
            new[src_t].append((new_local, new_global, new_batch))
            rows[et].append(nbr_local)
            cols[et].append(f_local.index_select(0, seg))
            eids[et].append(graph.e_id.index_select(0, pos) if graph.e_id is not None else pos)
            num_sampled_edges[et].append(int(pos.numel()))
        for nt in node_types:
            parts = new[nt]
            if parts:
                local = torch.cat([p[0] for p in parts])
                glob = torch.cat([p[1] for p in parts])
                batch = torch.cat([p[2] for p in parts]) if disjoint else None
            else:
                local = glob = torch.empty(0, dtype=torch.long)
                batch = torch.empty(0, dtype=torch.long) if disjoint else None
            frontier[nt] = (local, glob, batch)
            n_ids[nt].append(glob)
            if disjoint:
                batches[nt].append(batch)
            num_sampled_nodes[nt].append(int(glob.numel()))

    empty = torch.empty(0, dtype=torch.long)
    return HeteroSamplerOutput(
        n_id={nt: torch.cat(v) for nt, v in n_ids.items()},
        e_id={et: torch.cat(v) if v else empty for et, v in eids.items()},
        edge_index={et: torch.stack([torch.cat(rows[et]) if rows[et] else empty,
                                     torch.cat(cols[et]) if cols[et] else empty]) for et in num_neighbors},
        num_sampled_nodes=num_sampled_nodes,
        num_sampled_edges=num_sampled_edges,
        batch={nt: torch.cat(v) for nt, v in batches.items()} if disjoint else None,
    )
