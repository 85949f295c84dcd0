"""``NeighborSampler``: holds a graph's incoming-neighbour structure and samples around seeds."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import Data, HeteroData

from .base import BaseSampler, EdgeSamplerInput, NegativeSampling, NodeSamplerInput
from .csr import to_csc
from .edge_seeds import edge_seeds
from .graph_source import EDGE, NODE, read_graph
from .neighbor_sampling import SamplerOutput
from .pick import TEMPORAL_STRATEGIES, HopGraph
from .subgraph_types import bidirectional_edges, induced_edges
from .typed_sampling import HeteroSamplerOutput, sample_typed

__all__ = ["NeighborSampler"]

SUBGRAPH_TYPES = ("directional", "bidirectional", "induced")


def _num_neighbors_per_type(num_neighbors, edge_types: list) -> dict:
    """Fan-outs per edge type from a list (all types) or a dict (missing types: 0 per hop)."""
    if isinstance(num_neighbors, dict):
        unknown = [et for et in num_neighbors if tuple(et) not in edge_types]
        if unknown:
            raise ValueError(f"num_neighbors has edge types {unknown} that the graph lacks; "
                             f"edge types: {edge_types}")
        hops = max((len(v) for v in num_neighbors.values()), default=0)
        return {et: list(num_neighbors.get(et, [0] * hops)) for et in edge_types}
    if not isinstance(num_neighbors, (list, tuple)):
        raise TypeError(f"num_neighbors must be a list of ints or a dict per edge type, "
                        f"got {type(num_neighbors).__name__}")
    return {et: list(num_neighbors) for et in edge_types}


class NeighborSampler(BaseSampler):
    """Multi-hop neighbour sampler over an ``edge_index``, ``Data``, ``HeteroData`` or a
    ``(FeatureStore, GraphStore)`` pair.

    A node's neighbours are the sources of its incoming edges (messages flow
    ``edge_index[0] -> edge_index[1]``).

    Args:
        data: ``[2, num_edges]`` tensor, ``Data``, ``HeteroData`` or ``(FeatureStore, GraphStore)``.
        num_neighbors: fan-out per hop (``-1``: all); for hetero graphs a list for every
            edge type or a dict ``{edge_type: [...]}`` (types left out sample nothing).
        subgraph_type: ``"directional"`` (the sampled edges), ``"bidirectional"`` (plus
            their reverses; hetero: within edge types whose two ends share a node type) or
            ``"induced"`` (every input edge between sampled nodes).
        replace: sample with replacement.
        disjoint: one separate tree per seed (forced on for temporal sampling).
        temporal_strategy: ``"uniform"`` or ``"last"`` (the most recent neighbours).
        time_attr: node attribute (node time) or edge attribute (edge time) for temporal
            sampling: nothing newer than the seed time is sampled.
        weight_attr: edge attribute of non-negative sampling weights.
        num_nodes: number of nodes when ``data`` is a plain ``edge_index``.
        weight: per-edge weights (input edge order) for a plain ``edge_index``.
        node_time: per-node times for a plain ``edge_index``.
        edge_time: per-edge times (input edge order) for a plain ``edge_index``.
    """

    def __init__(
        self,
        data: Tensor | Data | HeteroData | tuple,
        num_neighbors: list[int] | dict,
        subgraph_type: str = "directional",
        replace: bool = False,
        disjoint: bool = False,
        temporal_strategy: str = "uniform",
        time_attr: str | None = None,
        weight_attr: str | None = None,
        num_nodes: int | None = None,
        weight: Tensor | None = None,
        node_time: Tensor | None = None,
        edge_time: Tensor | None = None,
    ):
        if subgraph_type not in SUBGRAPH_TYPES:
            raise ValueError(f"subgraph_type must be one of {SUBGRAPH_TYPES}, got {subgraph_type!r}")
        if temporal_strategy not in TEMPORAL_STRATEGIES:
            raise ValueError(f"temporal_strategy must be one of {TEMPORAL_STRATEGIES}, got {temporal_strategy!r}")
        g = read_graph(data, num_nodes, weight_attr, time_attr)
        if isinstance(data, Tensor):
            num_edges = data.size(1)
            for name, t in (("weight", weight), ("edge_time", edge_time)):
                if t is not None and t.shape != (num_edges,):
                    raise ValueError(f"{name} must have shape [{num_edges}] (one per edge), got {list(t.shape)}")
            if weight is not None:
                g.weight[EDGE] = weight
            if edge_time is not None:
                g.edge_time[EDGE] = edge_time
            if node_time is not None:
                if node_time.shape != (g.num_nodes[NODE],):
                    raise ValueError(f"node_time must have shape [{g.num_nodes[NODE]}], got {list(node_time.shape)}")
                g.node_time[NODE] = node_time
        self.is_hetero = g.is_hetero
        self.temporal = bool(g.node_time or g.edge_time)
        if self.temporal:
            disjoint = True  # a seed time is per tree
        if subgraph_type != "directional" and disjoint:
            raise ValueError(f"subgraph_type={subgraph_type!r} is not supported with disjoint=True "
                             f"(temporal sampling implies disjoint)")
        self.num_nodes = g.num_nodes
        self.node_time = g.node_time
        self.edge_types = list(g.csc or g.edge_index)
        self.num_neighbors = _num_neighbors_per_type(num_neighbors, self.edge_types)
        self.replace = replace
        self.subgraph_type = subgraph_type
        self.disjoint = disjoint
        self.temporal_strategy = temporal_strategy
        self.csc, self.graphs = {}, {}
        for et in self.edge_types:
            csc = g.csc.get(et) or self._compress(g.edge_index[et], g.num_nodes[et[0]], g.num_nodes[et[2]], et)
            self.csc[et] = csc
            w, t = g.weight.get(et), g.edge_time.get(et)
            if w is not None and w.numel() and bool((w < 0).any()):
                raise ValueError(f"weights ({weight_attr or 'weight'}) must be non-negative")
            self.graphs[et] = HopGraph(
                csc.rowptr, csc.col, csc.e_id,
                weight=w[csc.e_id] if w is not None else None,
                edge_time=t[csc.e_id] if t is not None else None,
                nbr_time=g.node_time.get(et[0]),
            )

    @staticmethod
    def _compress(ei: Tensor, num_src: int, num_dst: int, et):
        for row, n, end in ((0, num_src, "source"), (1, num_dst, "target")):
            if ei.numel() and (int(ei[row].max()) >= n or int(ei[row].min()) < 0):
                raise ValueError(f"edge_index of {et}: {end} ids must lie in [0, {n}), got range "
                                 f"[{int(ei[row].min())}, {int(ei[row].max())}]")
        # Sources and destinations may be different node types: size the CSC by the larger.
        csc = to_csc(ei, max(num_src, num_dst))
        if csc.num_nodes != num_dst:
            csc = type(csc)(csc.rowptr[: num_dst + 1], csc.col, csc.e_id, num_dst, csc.by)
        return csc

    # -- homogeneous convenience ------------------------------------------------------
    @property
    def weight(self) -> Tensor | None:
        """Sampling weights in CSC order (homogeneous graphs)."""
        return self.graphs[EDGE].weight

    def sample(self, seeds: Tensor, generator: torch.Generator | None = None,
               seed_time: Tensor | None = None) -> SamplerOutput:
        """Sample around ``seeds`` of a homogeneous graph."""
        if self.is_hetero:
            raise TypeError("NeighborSampler.sample takes seeds of a homogeneous graph; use "
                            "sample_from_nodes(NodeSamplerInput(..., input_type=...)) for HeteroData")
        out = self._sample({NODE: seeds}, generator, {NODE: seed_time} if seed_time is not None else None)
        return self._to_homogeneous(out)

    # -- the sampler contract -------------------------------------------------------------
    def sample_from_nodes(self, inputs: NodeSamplerInput, generator: torch.Generator | None = None):
        node_type = inputs.input_type if self.is_hetero else NODE
        if node_type not in self.num_nodes:
            raise ValueError(f"input_type {inputs.input_type!r} is not a node type of the graph; "
                             f"node types: {list(self.num_nodes)}")
        time = {node_type: inputs.time} if inputs.time is not None else None
        out = self._sample({node_type: inputs.node}, generator, time)
        out.metadata = {"input_id": inputs.input_id, "seed_time": inputs.time}
        return out if self.is_hetero else self._to_homogeneous(out)

    def sample_from_edges(self, inputs: EdgeSamplerInput, neg_sampling: NegativeSampling | None = None,
                          generator: torch.Generator | None = None):
        et = tuple(inputs.input_type) if self.is_hetero else EDGE
        src_t, _, dst_t = et
        if src_t not in self.num_nodes or dst_t not in self.num_nodes:
            raise ValueError(f"input_type {inputs.input_type!r} does not connect node types of the graph; "
                             f"node types: {list(self.num_nodes)}")
        seeds = edge_seeds(inputs, src_t, dst_t, self.num_nodes[src_t], self.num_nodes[dst_t],
                           NegativeSampling.cast(neg_sampling), self.disjoint, generator)
        out = self._sample(seeds.seeds, generator, seeds.time)
        out.metadata = seeds.metadata
        return out if self.is_hetero else self._to_homogeneous(out)

    # -- internals --------------------------------------------------------------------
    def _sample(self, seeds: dict, generator, seed_time: dict | None) -> HeteroSamplerOutput:
        if self.temporal and seed_time is None:
            if not self.node_time:
                raise ValueError("temporal sampling by edge time needs a seed time (input_time / "
                                 "edge_label_time)")
            seed_time = {nt: self.node_time[nt][s.long()] for nt, s in seeds.items()}
        if seed_time is not None and not self.temporal:
            raise ValueError("seed times were given but the sampler has no time_attr")
        out = sample_typed(self.graphs, self.num_nodes, seeds, self.num_neighbors,
                           replace=self.replace, disjoint=self.disjoint, generator=generator,
                           seed_time=seed_time, temporal_strategy=self.temporal_strategy)
        if self.subgraph_type == "induced":
            for et, csc in self.csc.items():
                out.edge_index[et], out.e_id[et] = induced_edges(csc, out.n_id[et[0]], out.n_id[et[2]])
                out.num_sampled_edges[et] = [int(out.e_id[et].numel())]
        elif self.subgraph_type == "bidirectional":
            for et in self.csc:
                if et[0] == et[2]:
                    out.edge_index[et], out.e_id[et] = bidirectional_edges(
                        out.edge_index[et], out.e_id[et], out.n_id[et[0]].numel())
                    out.num_sampled_edges[et] = [int(out.e_id[et].numel())]
        return out

    @staticmethod
    def _to_homogeneous(out: HeteroSamplerOutput) -> SamplerOutput:
        return SamplerOutput(
            n_id=out.n_id[NODE], e_id=out.e_id[EDGE], edge_index=out.edge_index[EDGE],
            num_sampled_nodes=out.num_sampled_nodes[NODE], num_sampled_edges=out.num_sampled_edges[EDGE],
            batch=out.batch[NODE] if out.batch is not None else None, metadata=out.metadata,
        )
