"""Scatter reductions: combine rows of ``src`` that share an ``index`` along ``dim``."""

from __future__ import annotations

from torch import Tensor

from .static import require_size

REDUCTIONS = ("sum", "add", "mean", "min", "max", "mul")


def _broadcast(index: Tensor, src: Tensor, dim: int) -> Tensor:
    shape = [1] * src.dim()
    shape[dim] = -1
    return index.view(shape).expand_as(src)


def scatter(src: Tensor, index: Tensor, dim: int = 0, dim_size: int | None = None,
            reduce: str = "sum") -> Tensor:
    """Reduce the slices of ``src`` along ``dim`` into ``dim_size`` groups given by ``index``.

    Groups that receive nothing are zero for every reduction. Pass ``dim_size`` to avoid
    the device sync that inferring it (``index.max() + 1``) costs.
    """
    if reduce not in REDUCTIONS:
        raise ValueError(f"scatter: reduce must be one of {REDUCTIONS}, got {reduce!r}")
    if index.dim() != 1:
        raise ValueError(f"scatter: index must be 1-D, got shape {tuple(index.shape)}")
    dim = dim + src.dim() if dim < 0 else dim
    if index.numel() != src.size(dim):
        raise ValueError(
            f"scatter: index has {index.numel()} entries but src has {src.size(dim)} along dim {dim}"
        )
    require_size("scatter", "dim_size", dim_size)
    if dim_size is None:
        dim_size = int(index.max()) + 1 if index.numel() > 0 else 0
    shape = list(src.shape)
    shape[dim] = dim_size
    expanded = _broadcast(index, src, dim)
    if reduce in ("sum", "add"):
        return src.new_zeros(shape).scatter_add_(dim, expanded, src)
    if reduce == "mean":
        total = src.new_zeros(shape).scatter_add_(dim, expanded, src)
        count = src.new_zeros(dim_size).index_add_(0, index, src.new_ones(index.numel()))
        count_shape = [1] * src.dim()
        count_shape[dim] = dim_size
        return total / count.clamp(min=1).view(count_shape)
    op = {"min": "amin", "max": "amax", "mul": "prod"}[reduce]
    return src.new_zeros(shape).scatter_reduce_(dim, expanded, src, op, include_self=False)
