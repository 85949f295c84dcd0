"""Graph ops on an :class:`Adjacency`, each run by the kernel the registry chooses."""

from __future__ import annotations

from torch import Tensor

from .adjacency import Adjacency
from .dispatch import kernel_for


def spmm(adj: Adjacency, x: Tensor, reduce: str = "sum", value: Tensor | None = None) -> Tensor:
    """Aggregate source rows ``x`` into destinations: ``sum`` or ``mean`` of ``value * x_j``.

    ``value`` (sorted order, one per edge) defaults to the adjacency's own weights.
    """
    if reduce not in ("sum", "add", "mean"):
        raise ValueError(f"spmm: reduce must be 'sum' or 'mean', got {reduce!r}")
    if x.size(0) != adj.size[0]:
        raise ValueError(f"spmm: x has {x.size(0)} rows but the graph has {adj.size[0]} source nodes")
    op = "spmm_mean" if reduce == "mean" else "spmm_sum"
    value = adj.value if value is None else value
    if value is not None and value.dtype != x.dtype:
        value = value.to(x.dtype)
    return kernel_for(op, x)(adj.rowptr, adj.col, adj.row, value, adj.rowptr_t, adj.col_t,
                             adj.perm_t, x)


def segment(x: Tensor, ptr: Tensor, reduce: str = "sum") -> Tensor:
    """Reduce consecutive rows of ``x`` between ``ptr`` boundaries (sum, mean, max, min)."""
    return kernel_for("segment_reduce", x)(x, ptr, reduce)


def segment_softmax(src: Tensor, ptr: Tensor) -> Tensor:
    """Softmax within each ``ptr`` segment of ``src`` (rows sorted by segment)."""
    return kernel_for("segment_softmax", src)(src, ptr)


def edge_softmax(src: Tensor, adj: Adjacency) -> Tensor:
    """Softmax of per-edge scores (original edge order) over each destination's edges."""
    sorted_src = src.index_select(0, adj.perm)
    out = segment_softmax(sorted_src, adj.rowptr)
    return out.index_select(0, adj.perm_inverse())


def scatter_sum(src: Tensor, index: Tensor, dim_size: int) -> Tensor:
    """Sum rows of ``src`` into ``dim_size`` rows by ``index`` (dim 0)."""
    return kernel_for("scatter_sum", src)(src, index, dim_size)
