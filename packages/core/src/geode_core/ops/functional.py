"""Graph ops on an :class:`Adjacency` or on index tensors, each run by the kernel the registry chooses."""

from __future__ import annotations

import torch
from torch import Tensor

from .adjacency import Adjacency
from .csr_spmm import REDUCTIONS, mean_value
from .dispatch import kernel_for
from .scatter_ops import GATHER_SCATTER_REDUCTIONS, SCATTER_REDUCTIONS


def _reduction(name: str, reduce: str, allowed) -> str:
    reduce = "sum" if reduce == "add" else reduce
    if reduce not in allowed:
        raise ValueError(f"{name}: reduce must be one of {allowed}, got {reduce!r}")
    return reduce


def spmm(adj: Adjacency, x: Tensor, reduce: str = "sum", value: Tensor | None = None) -> Tensor:
    """Aggregate source rows ``x`` into destinations: ``reduce`` of ``value * x_j`` (sum, mean, max, min).

    ``value`` (sorted order, one per edge) defaults to the adjacency's own weights. Weights
    that need no gradient are prepared once per adjacency (in both edge orders; for ``mean``
    already divided by the in-degree, so it runs as a weighted sum).
    """
    reduce = _reduction("spmm", reduce, REDUCTIONS)
    if x.size(0) != adj.size[0]:
        raise ValueError(f"spmm: x has {x.size(0)} rows but the graph has {adj.size[0]} source nodes")
    own = value is None
    value = adj.value if own else value
    if value is not None and value.dtype != x.dtype:
        value = value.to(x.dtype)
    value_t = None
    if reduce in ("sum", "mean") and (value is None or not value.requires_grad):
        if own:  # the graph's own weights: prepared once and kept on the adjacency
            value, value_t = adj.derived(("spmm", reduce, x.dtype),
                                         lambda: _weights(adj, value, reduce, x.dtype))
        else:
            value, value_t = _weights(adj, value, reduce, x.dtype)
        reduce = "sum"
    return kernel_for(f"spmm_{reduce}", x)(adj.rowptr, adj.col, adj.row, value, adj.rowptr_t,
                                           adj.col_t, adj.perm_t, value_t, x)


def _weights(adj: Adjacency, value: Tensor | None, reduce: str, dtype) -> tuple[Tensor, Tensor]:
    """Edge weights of a sum/mean SpMM in destination order and in source (transposed) order."""
    if value is None:
        value = torch.ones(adj.num_edges, dtype=dtype, device=adj.col.device)
    if reduce == "mean":
        value = mean_value(adj.rowptr, adj.row, value, dtype)
    return value, value.index_select(0, adj.perm_t)


def segment(x: Tensor, ptr: Tensor, reduce: str = "sum") -> Tensor:
    """Reduce consecutive rows of ``x`` between ``ptr`` boundaries (sum, mean, max, min)."""
    return kernel_for("segment_reduce", x)(x, ptr, _reduction("segment", reduce, REDUCTIONS))


def segment_softmax(src: Tensor, ptr: Tensor) -> Tensor:
    """Softmax within each ``ptr`` segment of ``src`` (rows sorted by segment)."""
    return kernel_for("segment_softmax", src)(src, ptr)


def edge_softmax(src: Tensor, adj: Adjacency) -> Tensor:
    """Softmax of per-edge scores (original edge order) over each destination's edges."""
    sorted_src = src.index_select(0, adj.perm)
    out = segment_softmax(sorted_src, adj.rowptr)
    return out.index_select(0, adj.perm_inverse())


def _check_index(name: str, index: Tensor, rows: int) -> None:
    if index.dim() != 1 or index.numel() != rows:
        raise ValueError(f"{name}: index must be 1-D with one entry per row ({rows}), "
                         f"got shape {tuple(index.shape)}")


def scatter_reduce(src: Tensor, index: Tensor, dim_size: int, reduce: str = "sum") -> Tensor:
    """Reduce rows of ``src`` into ``dim_size`` rows by ``index`` (dim 0; sum, mean, min, max, mul)."""
    reduce = _reduction("scatter_reduce", reduce, SCATTER_REDUCTIONS)
    _check_index("scatter_reduce", index, src.size(0))
    return kernel_for("scatter_reduce", src)(src, index.long(), int(dim_size), reduce)


def scatter_sum(src: Tensor, index: Tensor, dim_size: int) -> Tensor:
    """Sum rows of ``src`` into ``dim_size`` rows by ``index`` (dim 0)."""
    return scatter_reduce(src, index, dim_size, "sum")


def gather_scatter(x: Tensor, gather_index: Tensor, scatter_index: Tensor, dim_size: int,
                   reduce: str = "sum", value: Tensor | None = None) -> Tensor:
    """``reduce_{e: scatter_index[e]=i} value[e] * x[gather_index[e]]`` without one row per edge on CPU."""
    reduce = _reduction("gather_scatter", reduce, GATHER_SCATTER_REDUCTIONS)
    _check_index("gather_scatter", scatter_index, gather_index.numel())
    if value is not None and value.shape != gather_index.shape:
        raise ValueError(f"gather_scatter: value must have shape {tuple(gather_index.shape)}, "
                         f"got {tuple(value.shape)}")
    return kernel_for("gather_scatter", x)(x, gather_index.long(), scatter_index.long(), value,
                                           int(dim_size), reduce)
