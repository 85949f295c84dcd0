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

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from .graph_source import EDGE, NODE
from .pick import HopGraph
from .typed_sampling import sample_typed

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
    metadata: Any = field(default=None)

    @property
    def row(self) -> Tensor:
        return self.edge_index[0]

    @property
    def col(self) -> Tensor:
        return self.edge_index[1]


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
    if node_time is not None:
        if node_time.shape != (num_nodes,):
            raise ValueError(f"node_time must have shape [{num_nodes}], got {list(node_time.shape)}")
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
    edge_time: Tensor | None = None,
    temporal_strategy: str = "uniform",
) -> SamplerOutput:
    """Sample ``len(num_neighbors)`` hops of neighbours around ``seeds``.

    ``rowptr``/``col`` describe, per node, the neighbours to sample from (use
    :func:`geode_sampler.csr.to_csc` for incoming neighbours). ``weight`` is aligned with
    ``col``; zero-weight entries are never sampled. ``e_id`` maps positions of ``col`` to
    the input graph's edge ids (the compressed graph's permutation); without it the
    returned ``e_id`` are positions in ``col``. ``disjoint=True`` grows one separate tree
    per seed (a node reached from two seeds appears twice). With ``node_time`` (one
    timestamp per node) and ``disjoint=True``, no node newer than its tree's seed time
    (``seed_time``, default the seed's own ``node_time``) is ever sampled; ``edge_time``
    (aligned with ``col``) filters edges instead of nodes. ``temporal_strategy="last"``
    keeps the most recent candidates rather than a uniform choice.
    """
    _check_inputs(rowptr, col, seeds, num_neighbors, weight, node_time, seed_time, disjoint, replace)
    if edge_time is not None and edge_time.shape != col.shape:
        raise ValueError(f"edge_time must have shape {list(col.shape)} (one per entry of col), "
                         f"got {list(edge_time.shape)}")
    temporal = node_time is not None or edge_time is not None
    if temporal and not disjoint:
        raise ValueError("temporal sampling (node_time / edge_time) requires disjoint=True")
    if temporal and seed_time is None:
        if node_time is None:
            raise ValueError("temporal sampling by edge_time needs seed_time")
        seed_time = node_time[seeds.long()]
    graph = HopGraph(rowptr.long(), col.long(), e_id, weight, edge_time, node_time)
    out = sample_typed(
        {EDGE: graph}, {NODE: rowptr.numel() - 1}, {NODE: seeds.long()}, {EDGE: list(num_neighbors)},
        replace=replace, disjoint=disjoint, generator=generator,
        seed_time={NODE: seed_time} if temporal else None, temporal_strategy=temporal_strategy,
    )
    return SamplerOutput(
        n_id=out.n_id[NODE], e_id=out.e_id[EDGE], edge_index=out.edge_index[EDGE],
        num_sampled_nodes=out.num_sampled_nodes[NODE], num_sampled_edges=out.num_sampled_edges[EDGE],
        batch=out.batch[NODE] if disjoint else None,
    )
