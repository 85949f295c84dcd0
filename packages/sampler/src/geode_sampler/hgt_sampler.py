"""``HGTSampler``: the budget-based heterogeneous sampling of HGT (Hu et al., WWW 2020).

Every node type keeps a budget over its not-yet-sampled nodes. A newly sampled node ``v``
adds ``1 / deg_r(v)`` to each of its in-neighbours ``u`` through relation ``r`` (so
``v`` spreads one unit per relation). Each hop then draws, per node type, ``k`` nodes
without replacement with probability proportional to the squared budget, adds them and
clears their budget. The output is the subgraph all sampled nodes induce.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import HeteroData

from .base import BaseSampler, NodeSamplerInput
from .csr import to_csc
from .pick import expand
from .subgraph_types import induced_edges
from .typed_sampling import HeteroSamplerOutput

__all__ = ["HGTSampler"]


class HGTSampler(BaseSampler):
    """Args: ``data`` (``HeteroData``), ``num_samples`` (per hop, a list for every node type
    or a dict ``{node_type: [...]}``; types left out get none)."""

    def __init__(self, data: HeteroData, num_samples):
        if not isinstance(data, HeteroData):
            raise TypeError(f"HGTSampler needs HeteroData, got {type(data).__name__}")
        self.num_nodes = {nt: int(data[nt].num_nodes or 0) for nt in data.node_types}
        if isinstance(num_samples, dict):
            unknown = [nt for nt in num_samples if nt not in self.num_nodes]
            if unknown:
                raise ValueError(f"num_samples names node types {unknown}; node types: {list(self.num_nodes)}")
            hops = max((len(v) for v in num_samples.values()), default=0)
            num_samples = {nt: list(num_samples.get(nt, [0] * hops)) for nt in self.num_nodes}
        else:
            num_samples = {nt: list(num_samples) for nt in self.num_nodes}
        for nt, ks in num_samples.items():
            if not all(isinstance(k, int) and k >= 0 for k in ks):
                raise ValueError(f"num_samples[{nt!r}] must be a list of ints >= 0, got {ks!r}")
        self.num_samples = num_samples
        self.num_hops = max((len(v) for v in num_samples.values()), default=0)
        self.csc = {et: to_csc(data[et].edge_index, max(self.num_nodes[et[0]], self.num_nodes[et[2]]))
                    for et in data.edge_types if "edge_index" in data[et]}

    def _spread(self, budget: dict, sampled: dict, new: dict[str, Tensor]) -> None:
        for (src, _, dst), csc in self.csc.items():
            v = new.get(dst)
            if v is None or v.numel() == 0:
                continue
            deg = csc.rowptr[v + 1] - csc.rowptr[v]
            seg, pos = expand(csc.rowptr[v], deg)
            budget[src].index_add_(0, csc.col[pos], (1.0 / deg[seg].double()))
            budget[src][sampled[src]] = 0.0

    def sample_from_nodes(self, inputs: NodeSamplerInput, generator: torch.Generator | None = None):
        seed_type = inputs.input_type
        if seed_type not in self.num_nodes:
            raise ValueError(f"input_type {seed_type!r} is not a node type; node types: {list(self.num_nodes)}")
        budget = {nt: torch.zeros(n, dtype=torch.float64) for nt, n in self.num_nodes.items()}
        sampled = {nt: torch.zeros(n, dtype=torch.bool) for nt, n in self.num_nodes.items()}
        seeds = inputs.node.long()
        sampled[seed_type][seeds] = True
        n_id = {nt: [torch.empty(0, dtype=torch.long)] for nt in self.num_nodes}
        n_id[seed_type] = [seeds]
        new = {seed_type: seeds.unique()}
        for hop in range(self.num_hops):
            self._spread(budget, sampled, new)
            new = {}
            for nt, ks in self.num_samples.items():
                k = ks[hop] if hop < len(ks) else 0
                p = budget[nt].pow(2)
                available = int((p > 0).sum())
                if k == 0 or available == 0:
                    picked = torch.empty(0, dtype=torch.long)
                else:
                    picked = torch.multinomial(p, min(k, available), replacement=False, generator=generator)
                sampled[nt][picked] = True
                budget[nt][picked] = 0.0
                n_id[nt].append(picked)
                new[nt] = picked
        out_n_id = {nt: torch.cat(v) for nt, v in n_id.items()}
        edge_index, e_id = {}, {}
        for et, csc in self.csc.items():
            edge_index[et], e_id[et] = induced_edges(csc, out_n_id[et[0]], out_n_id[et[2]])
        return HeteroSamplerOutput(
            n_id=out_n_id, e_id=e_id, edge_index=edge_index,
            num_sampled_nodes={nt: [int(t.numel()) for t in v] for nt, v in n_id.items()},
            num_sampled_edges={et: [int(e.numel())] for et, e in e_id.items()},
            metadata={"input_id": inputs.input_id, "seed_time": None},
        )
