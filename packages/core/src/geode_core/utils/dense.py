"""Dense <-> sparse conversions for batched graphs."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index
from .scatter import scatter
from .static import require_size


def _check_batch(batch: Tensor, num_rows: int, of: str, fn: str) -> None:
    if batch.dim() != 1 or batch.numel() != num_rows or batch.dtype != torch.long:
        raise ValueError(f"{fn}: batch must be an int64 vector with one graph id per row of "
                         f"{of} (shape [{num_rows}]), got shape {list(batch.shape)} and dtype "
                         f"{batch.dtype}")


def _layout(batch: Tensor, batch_size: int | None, max_num_nodes: int | None,
            fn: str) -> tuple[int, Tensor, int]:
    """``(batch_size, ptr, max_num_nodes)`` of a sorted batch vector; a graph larger than the
    given ``max_num_nodes`` is an error, never truncated."""
    if batch_size is None:
        batch_size = int(batch.max()) + 1 if batch.numel() else 0
    counts, ptr = _ptr(batch, batch_size)
    biggest = int(counts.max()) if counts.numel() else 0
    if max_num_nodes is None:
        max_num_nodes = biggest
    elif biggest > max_num_nodes:
        raise ValueError(f"{fn}: a graph has {biggest} nodes but max_num_nodes={max_num_nodes}")
    return batch_size, ptr, max_num_nodes


def _ptr(batch: Tensor, batch_size: int) -> tuple[Tensor, Tensor]:
    counts = torch.bincount(batch, minlength=batch_size)
    ptr = torch.zeros(batch_size + 1, dtype=torch.long, device=batch.device)
    ptr[1:] = counts.cumsum(0)
    return counts, ptr


def to_dense_batch(x: Tensor, batch: Tensor | None = None, fill_value=0.0,
                   max_num_nodes: int | None = None, batch_size: int | None = None):
    """Pad node features into ``[batch_size, max_num_nodes, *]`` plus a bool mask.

    ``batch`` must be sorted; nodes beyond ``max_num_nodes`` raise rather than being dropped.
    """
    require_size("to_dense_batch", "batch_size", batch_size)
    require_size("to_dense_batch", "max_num_nodes", max_num_nodes)
    if batch is None:
        batch = torch.zeros(x.size(0), dtype=torch.long, device=x.device)
    _check_batch(batch, x.size(0), "x", "to_dense_batch")
    if batch.numel() and bool((batch[1:] < batch[:-1]).any()):
        raise ValueError("to_dense_batch: batch must be sorted in ascending order")
    batch_size, ptr, max_num_nodes = _layout(batch, batch_size, max_num_nodes, "to_dense_batch")
    pos = torch.arange(batch.numel(), device=x.device) - ptr[batch]
    out = x.new_full((batch_size, max_num_nodes, *x.shape[1:]), fill_value)
    out[batch, pos] = x
    mask = torch.zeros(batch_size, max_num_nodes, dtype=torch.bool, device=x.device)
    mask[batch, pos] = True
    return out, mask


def to_dense_adj(edge_index: Tensor, batch: Tensor | None = None, edge_attr: Tensor | None = None,
                 max_num_nodes: int | None = None, batch_size: int | None = None) -> Tensor:
    """Dense adjacency ``[batch_size, N, N(, *)]``; duplicate edges sum their weights."""
    check_edge_index(edge_index)
    require_size("to_dense_adj", "batch_size", batch_size)
    require_size("to_dense_adj", "max_num_nodes", max_num_nodes)
    if batch is None:
        n = int(edge_index.max()) + 1 if edge_index.numel() else 0
        batch = torch.zeros(n, dtype=torch.long, device=edge_index.device)
    elif batch.dim() != 1 or batch.dtype != torch.long:
        raise ValueError(f"to_dense_adj: batch must be a 1-D int64 tensor (one graph id per "
                         f"node), got shape {list(batch.shape)} and dtype {batch.dtype}")
    if edge_attr is not None and edge_attr.size(0) != edge_index.size(1):
        raise ValueError(f"to_dense_adj: edge_attr must have num_edges={edge_index.size(1)} "
                         f"rows, got shape {list(edge_attr.shape)}")
    batch_size, ptr, max_num_nodes = _layout(batch, batch_size, max_num_nodes, "to_dense_adj")
    g = batch[edge_index[0]]
    r = edge_index[0] - ptr[g]
    c = edge_index[1] - ptr[g]
    if edge_attr is None:
        edge_attr = torch.ones(edge_index.size(1), device=edge_index.device)
    flat = (g * max_num_nodes + r) * max_num_nodes + c
    out = scatter(edge_attr, flat, 0, batch_size * max_num_nodes * max_num_nodes, "sum")
    return out.view(batch_size, max_num_nodes, max_num_nodes, *edge_attr.shape[1:])


def dense_to_sparse(adj: Tensor):
    """``(edge_index, edge_weight)`` of the non-zero entries of ``[N, N]`` or ``[B, N, N]``.

    For a batch, node ids are offset by ``b * N``.
    """
    if adj.dim() not in (2, 3):
        raise ValueError(f"dense_to_sparse: adj must be 2-D or 3-D, got shape {list(adj.shape)}")
    if adj.dim() == 2:
        idx = adj.nonzero().t()
        return idx, adj[idx[0], idx[1]]
    idx = adj.nonzero().t()
    n = adj.size(-1)
    weight = adj[idx[0], idx[1], idx[2]]
    return torch.stack([idx[0] * n + idx[1], idx[0] * n + idx[2]]), weight
