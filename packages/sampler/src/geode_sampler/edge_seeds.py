"""Seed nodes of a link mini-batch: label-edge endpoints plus negatives, and where they land.

Shared samples take each distinct endpoint once (per node type); disjoint samples give
every endpoint its own tree, so seed ``i`` of a type is local node ``i``. The returned
metadata holds local indices of the endpoints, ready for the batch.
"""

from __future__ import annotations

import torch
from torch import Tensor

from .base import EdgeSamplerInput, NegativeSampling

__all__ = ["EdgeSeeds", "edge_seeds"]


class EdgeSeeds:
    """Seeds per node type (``seeds``, ``time``) and the link metadata of the batch."""

    def __init__(self):
        self._parts: dict[str, list[tuple[Tensor, Tensor | None]]] = {}
        self.seeds: dict[str, Tensor] = {}
        self.time: dict[str, Tensor] | None = None
        self.metadata: dict[str, Tensor] = {}

    def add(self, node_type: str, ids: Tensor, time: Tensor | None) -> int:
        """Queue ``ids`` as seeds of ``node_type``; returns their offset among that type's seeds."""
        parts = self._parts.setdefault(node_type, [])
        offset = sum(p[0].numel() for p in parts)
        parts.append((ids, time))
        return offset

    def finish(self, disjoint: bool) -> dict[str, Tensor]:
        """Build the seeds; returns, per node type, the map from queued position to local id."""
        local = {}
        temporal = any(t is not None for parts in self._parts.values() for _, t in parts)
        self.time = {} if temporal else None
        for nt, parts in self._parts.items():
            ids = torch.cat([p[0] for p in parts])
            if disjoint:
                self.seeds[nt], local[nt] = ids, torch.arange(ids.numel())
            else:
                self.seeds[nt], local[nt] = torch.unique(ids, return_inverse=True)
            if temporal:
                self.time[nt] = torch.cat([p[1] for p in parts])
        return local


def edge_seeds(inputs: EdgeSamplerInput, src_type: str, dst_type: str, num_src: int, num_dst: int,
               neg: NegativeSampling | None, disjoint: bool,
               generator: torch.Generator | None = None) -> EdgeSeeds:
    """Seeds for the label edges ``inputs`` (``src_type -> dst_type``) and their negatives.

    Metadata: ``input_id``, then for no/binary negatives ``edge_label_index`` (``[2, E]``
    local ids, positives first), ``edge_label`` and ``edge_label_time``; for triplets
    ``src_index``, ``dst_pos_index`` and ``dst_neg_index`` (``[num_pos]`` for amount 1,
    else ``[num_pos, amount]``).
    """
    row, col, time = inputs.row.long(), inputs.col.long(), inputs.time
    num_pos = row.numel()
    out = EdgeSeeds()
    meta = {"input_id": inputs.input_id}
    if neg is not None and neg.is_triplet():
        amount = int(neg.amount)
        neg_dst = neg.sample(num_pos * amount, "dst", num_dst, generator)
        neg_time = time.repeat_interleave(amount) if time is not None else None
        at_src = out.add(src_type, row, time)
        at_pos = out.add(dst_type, col, time)
        at_neg = out.add(dst_type, neg_dst, neg_time)
        local = out.finish(disjoint)
        meta["src_index"] = local[src_type][at_src:at_src + num_pos]
        meta["dst_pos_index"] = local[dst_type][at_pos:at_pos + num_pos]
        dst_neg = local[dst_type][at_neg:at_neg + num_pos * amount]
        meta["dst_neg_index"] = dst_neg if amount == 1 else dst_neg.view(num_pos, amount)
        out.metadata = meta
        return out
    label = inputs.label
    if neg is not None:
        num_neg = neg.num_negatives(num_pos)
        neg_row = neg.sample(num_neg, "src", num_src, generator)
        neg_col = neg.sample(num_neg, "dst", num_dst, generator)
        if time is not None:
            # A negative takes the time of the positive it pairs with (cycling through them).
            time = torch.cat([time, time[torch.arange(num_neg) % max(num_pos, 1)]])
        pos_label = torch.ones(num_pos, dtype=torch.long) if label is None else label + 1
        label = torch.cat([pos_label, torch.zeros(num_neg, dtype=pos_label.dtype)])
        row, col = torch.cat([row, neg_row]), torch.cat([col, neg_col])
    at_src = out.add(src_type, row, time)
    at_dst = out.add(dst_type, col, time)
    local = out.finish(disjoint)
    n = row.numel()
    meta["edge_label_index"] = torch.stack([local[src_type][at_src:at_src + n],
                                            local[dst_type][at_dst:at_dst + n]])
    if label is not None:
        meta["edge_label"] = label
    if time is not None:
        meta["edge_label_time"] = time
    out.metadata = meta
    return out
