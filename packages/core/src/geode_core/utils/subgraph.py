"""Induced subgraphs and k-hop neighbourhoods."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes
from .mask import index_to_mask


def subgraph(subset: Tensor, edge_index: Tensor, edge_attr: Tensor | None = None,
             relabel_nodes: bool = False, num_nodes: int | None = None,
             return_edge_mask: bool = False):
    """Keep the edges whose two ends are both in ``subset`` (index or bool mask)."""
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    if subset.dtype == torch.bool:
        if subset.numel() != n:
            raise ValueError(f"subgraph: bool subset must have num_nodes={n} entries, got {subset.numel()}")
        node_mask = subset
    else:
        node_mask = index_to_mask(subset, n)
    edge_mask = node_mask[edge_index[0]] & node_mask[edge_index[1]]
    out = edge_index[:, edge_mask]
    if relabel_nodes:
        mapping = torch.full((n,), -1, dtype=torch.long, device=edge_index.device)
        kept = node_mask.nonzero().view(-1)
        mapping[kept] = torch.arange(kept.numel(), device=edge_index.device)
        out = mapping[out]
    attr = edge_attr[edge_mask] if edge_attr is not None else None
    if return_edge_mask:
        return out, attr, edge_mask
    return out, attr


def k_hop_subgraph(node_idx, num_hops: int, edge_index: Tensor, relabel_nodes: bool = False,
                   num_nodes: int | None = None, flow: str = "source_to_target"):
    """Nodes that reach ``node_idx`` within ``num_hops`` hops (messages flow source -> target).

    Returns ``(subset, edge_index, mapping, edge_mask)`` where ``mapping`` locates the seed
    nodes inside ``subset``.
    """
    check_edge_index(edge_index)
    if flow not in ("source_to_target", "target_to_source"):
        raise ValueError(f"k_hop_subgraph: flow must be 'source_to_target' or 'target_to_source', got {flow!r}")
    n = infer_num_nodes(edge_index, num_nodes)
    row, col = edge_index if flow == "target_to_source" else edge_index.flip(0)
    seeds = torch.as_tensor(node_idx, device=edge_index.device).view(-1).long()
    reached = index_to_mask(seeds, n)
    frontier = reached.clone()
    for _ in range(num_hops):
        new = torch.zeros_like(reached)
        new[col[frontier[row]]] = True
        frontier = new & ~reached
        reached |= new
    subset = reached.nonzero().view(-1)
    edge_mask = reached[row] & reached[col]
    out = edge_index[:, edge_mask]
    mapping = torch.full((n,), -1, dtype=torch.long, device=edge_index.device)
    mapping[subset] = torch.arange(subset.numel(), device=edge_index.device)
    if relabel_nodes:
        out = mapping[out]
    return subset, out, mapping[seeds], edge_mask
