"""``NeighborSampler``: holds a graph's incoming-neighbour structure and samples around seeds."""

from __future__ import annotations

import torch
from torch import Tensor

from .csr import to_csc
from .neighbor_sampling import SamplerOutput, sample_neighbors

__all__ = ["NeighborSampler"]

SUBGRAPH_TYPES = ("directional", "bidirectional", "induced")


class NeighborSampler:
    """Multi-hop neighbour sampler over a plain ``edge_index``.

    Args:
        edge_index: ``[2, num_edges]`` edges ``source -> target``; a node's neighbours are
            the sources of its incoming edges.
        num_nodes: number of nodes (default: ``edge_index.max() + 1``).
        num_neighbors: fan-out per hop; ``-1`` takes all neighbours.
        replace: sample with replacement.
        subgraph_type: ``"directional"`` (the sampled edges only), ``"bidirectional"``
            (sampled edges plus their reverses) or ``"induced"`` (every input edge between
            sampled nodes).
        disjoint: one separate tree per seed.
        weight: per-edge non-negative weights in input edge order.
        node_time: per-node timestamps for temporal sampling (needs ``disjoint=True``).
    """

    def __init__(
        self,
        edge_index: Tensor,
        num_neighbors: list[int],
        num_nodes: int | None = None,
        replace: bool = False,
        subgraph_type: str = "directional",
        disjoint: bool = False,
        weight: Tensor | None = None,
        node_time: Tensor | None = None,
    ):
        if subgraph_type not in SUBGRAPH_TYPES:
            raise ValueError(f"subgraph_type must be one of {SUBGRAPH_TYPES}, got {subgraph_type!r}")
        if subgraph_type != "directional" and disjoint:
            raise ValueError(f"subgraph_type={subgraph_type!r} is not supported with disjoint=True")
        self.csc = to_csc(edge_index, num_nodes)
        self.num_nodes = self.csc.num_nodes
        self.num_neighbors = list(num_neighbors)
        self.replace = replace
        self.subgraph_type = subgraph_type
        self.disjoint = disjoint
        if weight is not None:
            if weight.shape != (edge_index.size(1),):
                raise ValueError(
                    f"weight must have shape [{edge_index.size(1)}] (one per edge), got {list(weight.shape)}"
                )
            weight = weight[self.csc.e_id]
        self.weight = weight
        self.node_time = node_time

    def sample(
        self,
        seeds: Tensor,
        generator: torch.Generator | None = None,
        seed_time: Tensor | None = None,
    ) -> SamplerOutput:
        out = sample_neighbors(
            self.csc.rowptr, self.csc.col, seeds, self.num_neighbors,
            replace=self.replace, generator=generator, weight=self.weight,
            disjoint=self.disjoint, e_id=self.csc.e_id,
            node_time=self.node_time, seed_time=seed_time,
        )
        if self.subgraph_type == "induced":
            return self._induced(out)
        if self.subgraph_type == "bidirectional":
            return self._bidirectional(out)
        return out

    def _induced(self, out: SamplerOutput) -> SamplerOutput:
        """Replace the sampled edges by every input edge between sampled nodes."""
        n_id = out.n_id
        # Local id of each global node: first occurrence in n_id (non-disjoint: unique).
        sorted_g, order = torch.sort(n_id)
        start = self.csc.rowptr[n_id]
        deg = self.csc.rowptr[n_id + 1] - start
        seg = torch.repeat_interleave(torch.arange(n_id.numel()), deg)
        first = torch.cumsum(deg, 0) - deg
        pos = start[seg] + torch.arange(seg.numel()) - first[seg]
        src = self.csc.col[pos]
        at = torch.searchsorted(sorted_g, src)
        inside = (at < n_id.numel()) & (sorted_g[at.clamp_max(max(n_id.numel() - 1, 0))] == src)
        row = order[at[inside]]
        colx = seg[inside]
        out.edge_index = torch.stack([row, colx])
        out.e_id = self.csc.e_id[pos[inside]]
        out.num_sampled_edges = [int(inside.sum())]
        return out

    def _bidirectional(self, out: SamplerOutput) -> SamplerOutput:
        """Add the reverse of every sampled edge (reverses carry the same edge id), deduplicated."""
        ei = torch.cat([out.edge_index, out.edge_index.flip(0)], dim=1)
        e_id = torch.cat([out.e_id, out.e_id])
        n = max(out.n_id.numel(), 1)
        key = ei[0] * n + ei[1]
        _, inv = torch.unique(key, return_inverse=True)
        first = torch.full((int(inv.max()) + 1 if inv.numel() else 0,), key.numel(), dtype=torch.long)
        first.scatter_reduce_(0, inv, torch.arange(key.numel()), reduce="amin")
        keep = torch.sort(first).values
        out.edge_index = ei[:, keep]
        out.e_id = e_id[keep]
        out.num_sampled_edges = [int(keep.numel())]
        return out
