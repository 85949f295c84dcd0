"""``ShaDowKHopSampler``: a shallow, separately sampled subgraph around every seed (ShaDow-GNN)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from geode_core.data import Data

from ..graph_source import EDGE
from ..neighbor_sampler import NeighborSampler
from ..neighbor_sampling import SamplerOutput
from ..subgraph_types import induced_tree_edges
from .base import SamplingLoader
from .filter import filter_data
from .inputs import resolve_input_nodes

__all__ = ["ShaDowKHopSampler"]


class _ShaDowBatcher:
    def __init__(self, data: Data, sampler: NeighborSampler, node_idx: Tensor):
        self.data, self.sampler, self.node_idx = data, sampler, node_idx

    def sample(self, index: Tensor):
        return self.sampler.sample(self.node_idx[index])

    def finish(self, out, transform: Callable | None):
        # Group nodes tree by tree; the induced edges of each tree, relabelled.
        perm = torch.argsort(out.batch, stable=True)
        n_id, tree = out.n_id[perm], out.batch[perm]
        edge_index, e_id = induced_tree_edges(self.sampler.csc[EDGE], n_id, tree)
        num_seeds = out.num_sampled_nodes[0]
        inv = torch.empty_like(perm)
        inv[perm] = torch.arange(perm.numel())
        root = inv[:num_seeds]
        batch = filter_data(self.data, SamplerOutput(n_id, e_id, edge_index, [], [], batch=tree), counts=False)
        batch.root_n_id = root
        y = self.data.get("y")
        if isinstance(y, Tensor) and y.dim() > 0 and y.size(0) == self.data.num_nodes:
            batch.y = y[n_id[root]]  # one label per subgraph: its root's
        ptr = torch.zeros(num_seeds + 1, dtype=torch.long)
        ptr[1:] = torch.bincount(tree, minlength=num_seeds).cumsum(0)
        batch.ptr = ptr
        return transform(batch) if transform is not None else batch


class ShaDowKHopSampler(SamplingLoader):
    """For every seed in a mini-batch, sample ``depth`` hops of ``num_neighbors`` around it
    on its own and take the subgraph those nodes induce.

    Batches hold the subgraphs one after another: ``batch`` (subgraph of each node),
    ``ptr``, ``root_n_id`` (each root's position), ``n_id``/``e_id`` and node/edge
    attributes sliced; ``y`` has one entry per subgraph (its root's).

    Args:
        data: a ``Data`` graph.
        depth: number of hops.
        num_neighbors: fan-out per hop.
        node_idx: the seeds (ids or mask; default: every node).
        replace: sample with replacement.
        **kwargs: ``batch_size``, ``shuffle``, ``num_workers`` and other ``DataLoader`` keywords.
    """

    def __init__(self, data: Data, depth: int, num_neighbors: int, node_idx: Tensor | None = None,
                 replace: bool = False, transform: Callable | None = None, **kwargs: Any):
        if not isinstance(depth, int) or depth < 1:
            raise ValueError(f"depth must be a positive int, got {depth!r}")
        if not isinstance(num_neighbors, int) or (num_neighbors < 1 and num_neighbors != -1):
            raise ValueError(f"num_neighbors must be a positive int or -1, got {num_neighbors!r}")
        _, seeds = resolve_input_nodes(data, node_idx)
        self.depth, self.num_neighbors = depth, num_neighbors
        sampler = NeighborSampler(data, [num_neighbors] * depth, replace=replace, disjoint=True)
        kwargs.setdefault("filter_per_worker", True)
        super().__init__(_ShaDowBatcher(data, sampler, seeds), seeds.numel(), transform, **kwargs)
