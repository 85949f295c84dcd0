"""Edge-list utilities: self loops, direction, coalescing, degrees."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes
from .scatter import scatter


def degree(index: Tensor, num_nodes: int | None = None, dtype: torch.dtype | None = None) -> Tensor:
    """Count the occurrences of each node id in the 1-D ``index``."""
    if index.dim() != 1:
        raise ValueError(f"degree: index must be 1-D, got shape {list(index.shape)}")
    n = infer_num_nodes(index.view(1, -1), num_nodes)
    out = torch.zeros(n, dtype=dtype or torch.float, device=index.device)
    return out.index_add_(0, index, torch.ones(index.numel(), dtype=out.dtype, device=index.device))


def contains_self_loops(edge_index: Tensor) -> bool:
    check_edge_index(edge_index)
    return bool((edge_index[0] == edge_index[1]).any())


def remove_self_loops(edge_index: Tensor, edge_attr: Tensor | None = None):
    """Drop edges ``(i, i)``; returns ``(edge_index, edge_attr)``."""
    check_edge_index(edge_index)
    keep = edge_index[0] != edge_index[1]
    return edge_index[:, keep], (edge_attr[keep] if edge_attr is not None else None)


def _loop_attr(edge_attr: Tensor, n: int, fill_value) -> Tensor:
    shape = (n, *edge_attr.shape[1:])
    if fill_value is None:
        fill_value = 1.0
    if isinstance(fill_value, Tensor):
        return fill_value.to(edge_attr.dtype).expand(shape).clone()
    return edge_attr.new_full(shape, fill_value)


def add_self_loops(edge_index: Tensor, edge_attr: Tensor | None = None, fill_value=None,
                   num_nodes: int | None = None):
    """Append one loop ``(i, i)`` per node (existing loops are kept)."""
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    loops = torch.arange(n, device=edge_index.device).repeat(2, 1)
    out = torch.cat([edge_index, loops], dim=1)
    if edge_attr is not None:
        edge_attr = torch.cat([edge_attr, _loop_attr(edge_attr, n, fill_value)], dim=0)
    return out, edge_attr


def add_remaining_self_loops(edge_index: Tensor, edge_attr: Tensor | None = None, fill_value=None,
                             num_nodes: int | None = None):
    """Add loops only to nodes without one; existing loops (and their attributes) are kept."""
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    is_loop = edge_index[0] == edge_index[1]
    has_loop = torch.zeros(n, dtype=torch.bool, device=edge_index.device)
    has_loop[edge_index[0, is_loop]] = True
    missing = (~has_loop).nonzero().view(-1)
    out = torch.cat([edge_index, missing.repeat(2, 1)], dim=1)
    if edge_attr is not None:
        edge_attr = torch.cat([edge_attr, _loop_attr(edge_attr, missing.numel(), fill_value)], 0)
    return out, edge_attr


def coalesce(edge_index: Tensor, edge_attr: Tensor | None = None, num_nodes: int | None = None,
             reduce: str = "sum", sort_by_row: bool = True):
    """Sort edges and merge duplicates, reducing their attributes with ``reduce``."""
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    if edge_index.numel() == 0:
        return edge_index, edge_attr
    a, b = (edge_index[0], edge_index[1]) if sort_by_row else (edge_index[1], edge_index[0])
    key = a * max(n, 1) + b
    uniq, inverse = torch.unique(key, sorted=True, return_inverse=True)
    first, second = uniq // max(n, 1), uniq % max(n, 1)
    out = torch.stack([first, second]) if sort_by_row else torch.stack([second, first])
    if edge_attr is not None:
        edge_attr = scatter(edge_attr, inverse, 0, uniq.numel(), reduce)
    return out, edge_attr


def sort_edge_index(edge_index: Tensor, edge_attr: Tensor | None = None,
                    num_nodes: int | None = None, sort_by_row: bool = True):
    """Sort edges by (source, target) (by (target, source) when not ``sort_by_row``), keeping
    duplicates; ``edge_attr`` follows. Returns ``(edge_index, edge_attr)``."""
    check_edge_index(edge_index)
    n = max(infer_num_nodes(edge_index, num_nodes), 1)
    first, second = (edge_index[0], edge_index[1]) if sort_by_row else (edge_index[1], edge_index[0])
    perm = torch.argsort(first * n + second, stable=True)
    return edge_index[:, perm], (edge_attr[perm] if edge_attr is not None else None)


def to_undirected(edge_index: Tensor, edge_attr: Tensor | None = None,
                  num_nodes: int | None = None, reduce: str = "sum"):
    """Add every reverse edge and coalesce."""
    check_edge_index(edge_index)
    both = torch.cat([edge_index, edge_index.flip(0)], dim=1)
    if edge_attr is not None:
        edge_attr = torch.cat([edge_attr, edge_attr], dim=0)
    return coalesce(both, edge_attr, num_nodes, reduce)


def is_undirected(edge_index: Tensor, edge_attr: Tensor | None = None,
                  num_nodes: int | None = None) -> bool:
    """True when for every edge ``(i, j)`` the edge ``(j, i)`` exists (with the same attribute)."""
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    ei, ea = coalesce(edge_index, edge_attr, n, reduce="max")
    rev, rea = coalesce(edge_index.flip(0), edge_attr, n, reduce="max")
    if not torch.equal(ei, rev):
        return False
    return ea is None or torch.equal(ea, rea)
