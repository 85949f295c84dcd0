"""GraphSAINT samplers: mini-batches are subgraphs induced by sampled node sets.

Three ways to pick the nodes (Zeng et al., GraphSAINT, ICLR 2020): by node (probability
proportional to in-degree), by edge (probability proportional to ``1/deg(u) + 1/deg(v)``)
and by random walks. With ``sample_coverage > 0`` the loader first samples until every
node has been seen about ``sample_coverage`` times on average and stores the
normalisation coefficients ``node_norm`` (loss weights) and ``edge_norm`` (aggregation
weights) that make mini-batch estimates unbiased.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from geode_core.data import Data

from ..csr import to_csc, to_csr
from ..subgraph_types import induced_edges
from .base import SamplingLoader
from .filter import induced_data

__all__ = ["GraphSAINTEdgeSampler", "GraphSAINTNodeSampler", "GraphSAINTRandomWalkSampler", "GraphSAINTSampler"]


class _SaintBatcher:
    def __init__(self, loader: GraphSAINTSampler):
        self.data = loader.data
        self.csc = loader.csc
        self.pick = loader.sample_nodes
        self.norms = loader.norms

    def sample(self, index: Tensor) -> Tensor:
        return self.pick()

    def finish(self, n_id: Tensor, transform: Callable | None):
        batch = induced_data(self.data, self.csc, n_id)
        if self.norms is not None:
            node_norm, edge_norm = self.norms
            batch.node_norm = node_norm[n_id]
            batch.edge_norm = edge_norm[batch.e_id]
        return transform(batch) if transform is not None else batch


class GraphSAINTSampler(SamplingLoader):
    """Base class: ``num_steps`` mini-batches per epoch, each the subgraph induced by
    :meth:`sample_nodes`. Subclasses choose the nodes; ``batch_size`` is their size knob.

    Args:
        data: a ``Data`` graph.
        batch_size: nodes (node sampler), edges (edge sampler) or walk roots (random walks).
        num_steps: mini-batches per epoch.
        sample_coverage: average number of samples per node used to estimate the
            normalisation coefficients (0: none; batches then carry no norms).
        save_dir: where to store (and find) the coefficients.
        log: print a line while estimating them.
        **kwargs: ``num_workers`` and the other ``DataLoader`` keywords.
    """

    def __init__(self, data: Data, batch_size: int, num_steps: int = 1, sample_coverage: int = 0,
                 save_dir: str | None = None, log: bool = True, transform: Callable | None = None,
                 **kwargs: Any):
        for name, value in (("batch_size", batch_size), ("num_steps", num_steps)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if sample_coverage < 0:
            raise ValueError(f"sample_coverage must be >= 0, got {sample_coverage}")
        if "batch_sampler" in kwargs or "shuffle" in kwargs:
            raise TypeError(f"{type(self).__name__} draws its own batches; shuffle/batch_sampler cannot be passed")
        self.data = data
        self.num_nodes = int(data.num_nodes or 0)
        self.num_edges = data.num_edges
        self.node_batch_size = batch_size
        self.num_steps = num_steps
        self.sample_coverage = sample_coverage
        self.csc = to_csc(data.edge_index, self.num_nodes)
        self.csr = to_csr(data.edge_index, self.num_nodes)
        self.norms = self._load_or_compute_norms(save_dir, log) if sample_coverage > 0 else None
        kwargs.setdefault("filter_per_worker", True)
        super().__init__(_SaintBatcher(self), num_steps, transform, batch_size=1, **kwargs)

    def sample_nodes(self) -> Tensor:
        """The distinct node ids of one sample."""
        raise TypeError(f"{type(self).__name__} is a base class; use GraphSAINTNodeSampler, "
                        f"GraphSAINTEdgeSampler or GraphSAINTRandomWalkSampler")

    def _norm_file(self) -> str:
        return f"{type(self).__name__.lower()}_{self.node_batch_size}_{self.sample_coverage}.pt"

    def _load_or_compute_norms(self, save_dir: str | None, log: bool) -> tuple[Tensor, Tensor]:
        path = os.path.join(save_dir, self._norm_file()) if save_dir else None
        if path and os.path.exists(path):
            saved = torch.load(path, weights_only=True)
            return saved["node_norm"], saved["edge_norm"]
        if log:
            print(f"Estimating GraphSAINT normalisation ({self.sample_coverage} samples per node)...")
        node_count = torch.zeros(self.num_nodes)
        edge_count = torch.zeros(self.num_edges)
        num_samples = total = 0
        while total < self.sample_coverage * self.num_nodes:
            n_id = self.sample_nodes()
            _, e_id = induced_edges(self.csc, n_id, n_id)
            node_count[n_id] += 1
            edge_count[e_id] += 1
            num_samples += 1
            total += n_id.numel()
        # An edge's weight is P(its target sampled) / P(edge sampled); a node's loss weight is
        # 1 / (P(node sampled) * num_nodes). Never-seen entries get a small stand-in count.
        edge_norm = (node_count[self.data.edge_index[1]] / edge_count.clamp_min(0.1)).clamp_(0, 1e4)
        node_norm = num_samples / node_count.clamp_min(0.1) / self.num_nodes
        if path:
            os.makedirs(save_dir, exist_ok=True)
            tmp = path + ".tmp"
            torch.save({"node_norm": node_norm, "edge_norm": edge_norm}, tmp)
            os.replace(tmp, path)
        return node_norm, edge_norm


class GraphSAINTNodeSampler(GraphSAINTSampler):
    """Nodes drawn with probability proportional to their in-degree (``batch_size`` draws,
    with replacement, then deduplicated)."""

    def sample_nodes(self) -> Tensor:
        if self.num_edges == 0:
            return torch.randint(0, self.num_nodes, (self.node_batch_size,)).unique()
        picks = torch.randint(0, self.num_edges, (self.node_batch_size,))
        return self.data.edge_index[1, picks].unique()


class GraphSAINTEdgeSampler(GraphSAINTSampler):
    """Edges drawn with probability proportional to ``1/deg_in(src) + 1/deg_in(dst)``;
    the sample is both ends of ``batch_size`` edges."""

    def sample_nodes(self) -> Tensor:
        ei = self.data.edge_index
        if ei.size(1) == 0:
            return torch.randint(0, self.num_nodes, (self.node_batch_size,)).unique()
        deg = self.csc.degree().clamp_min(1).double()
        prob = 1.0 / deg[ei[0]] + 1.0 / deg[ei[1]]
        picks = torch.multinomial(prob, self.node_batch_size, replacement=True)
        return ei[:, picks].reshape(-1).unique()


class GraphSAINTRandomWalkSampler(GraphSAINTSampler):
    """``batch_size`` uniform roots, each followed for ``walk_length`` steps along outgoing
    edges (a node without one stays put); the sample is every node visited."""

    def __init__(self, data: Data, batch_size: int, walk_length: int, num_steps: int = 1,
                 sample_coverage: int = 0, save_dir: str | None = None, log: bool = True, **kwargs: Any):
        if not isinstance(walk_length, int) or walk_length < 0:
            raise ValueError(f"walk_length must be an int >= 0, got {walk_length!r}")
        self.walk_length = walk_length
        super().__init__(data, batch_size, num_steps, sample_coverage, save_dir, log, **kwargs)

    def _norm_file(self) -> str:
        return f"graphsaintrandomwalksampler_{self.node_batch_size}_{self.walk_length}_{self.sample_coverage}.pt"

    def sample_nodes(self) -> Tensor:
        cur = torch.randint(0, self.num_nodes, (self.node_batch_size,))
        visited = [cur]
        deg = self.csr.degree()
        for _ in range(self.walk_length):
            d = deg[cur]
            off = (torch.rand(cur.numel(), dtype=torch.float64) * d).long().clamp_max_((d - 1).clamp_min(0))
            nxt = self.csr.col[(self.csr.rowptr[cur] + off).clamp_max(max(self.csr.num_edges - 1, 0))] \
                if self.csr.num_edges else cur
            cur = torch.where(d > 0, nxt, cur)
            visited.append(cur)
        return torch.cat(visited).unique()
