"""Edge sets of a sample other than the sampled edges: induced and bidirectional."""

from __future__ import annotations

import torch
from torch import Tensor

from .csr import CompressedGraph
from .pick import expand

__all__ = ["bidirectional_edges", "induced_edges", "induced_tree_edges"]


def induced_edges(csc: CompressedGraph, src_n_id: Tensor, dst_n_id: Tensor) -> tuple[Tensor, Tensor]:
    """Every edge of ``csc`` from a node of ``src_n_id`` to a node of ``dst_n_id``.

    Returns ``(edge_index, e_id)`` with local ids (positions in the two lists; the ids in
    each list must be distinct).
    """
    seg, pos = expand(csc.rowptr[dst_n_id], csc.rowptr[dst_n_id + 1] - csc.rowptr[dst_n_id])
    src = csc.col[pos]
    sorted_g, order = torch.sort(src_n_id)
    at = torch.searchsorted(sorted_g, src)
    n = sorted_g.numel()
    inside = (at < n) & (sorted_g[at.clamp_max(max(n - 1, 0))] == src) if n else torch.zeros_like(src, dtype=torch.bool)
    return torch.stack([order[at[inside]], seg[inside]]), csc.e_id[pos[inside]]


def bidirectional_edges(edge_index: Tensor, e_id: Tensor, num_local: int) -> tuple[Tensor, Tensor]:
    """The edges plus their reverses, duplicates removed (first occurrence kept); a reverse
    carries the id of the edge it reverses."""
    ei = torch.cat([edge_index, edge_index.flip(0)], dim=1)
    ids = torch.cat([e_id, e_id])
    key = ei[0] * max(num_local, 1) + ei[1]
    _, inv = torch.unique(key, return_inverse=True)
    first = torch.full((int(inv.max()) + 1 if inv.numel() else 0,), key.numel(), dtype=torch.long)
    first.scatter_reduce_(0, inv, torch.arange(key.numel()), reduce="amin")
    keep = torch.sort(first).values
    return ei[:, keep], ids[keep]


def induced_tree_edges(csc: CompressedGraph, n_id: Tensor, tree: Tensor) -> tuple[Tensor, Tensor]:
    """Per tree, every edge of ``csc`` between two of its nodes (node ``i`` is global
    ``n_id[i]`` in tree ``tree[i]``; distinct per tree). Returns local ``edge_index`` and ``e_id``."""
    stride = max(csc.num_nodes, 1)
    keys, order = torch.sort(tree * stride + n_id)
    seg, pos = expand(csc.rowptr[n_id], csc.rowptr[n_id + 1] - csc.rowptr[n_id])
    cand = tree[seg] * stride + csc.col[pos]
    at = torch.searchsorted(keys, cand)
    n = keys.numel()
    inside = (at < n) & (keys[at.clamp_max(max(n - 1, 0))] == cand) if n else torch.zeros_like(cand, dtype=torch.bool)
    return torch.stack([order[at[inside]], seg[inside]]), csc.e_id[pos[inside]]
