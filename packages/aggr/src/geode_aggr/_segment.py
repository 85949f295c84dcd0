"""Segment helpers shared by the aggregations: index/ptr handling, sums, softmax, dense batches.

Every helper treats ``dim`` as the (non-negative) message dimension of ``x`` and
``dim_size`` as the number of destinations. Destinations without messages get zeros.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor


def prepare(name: str, x: Tensor, index: Tensor | None, ptr: Tensor | None,
            dim_size: int | None, dim: int) -> tuple[Tensor, int, int]:
    """``(index, dim_size, dim)`` from either ``index`` or ``ptr``, with ``dim`` made non-negative."""
    if x.dim() == 0:
        raise ValueError(f"{name}: x must have at least one dimension, got a scalar")
    dim = dim + x.dim() if dim < 0 else dim
    if not 0 <= dim < x.dim():
        raise ValueError(f"{name}: dim={dim} is out of range for x of shape {tuple(x.shape)}")
    if index is None and ptr is None:
        raise ValueError(f"{name}: give index or ptr")
    if index is None:
        if ptr.dim() != 1 or ptr.numel() < 1:
            raise ValueError(f"{name}: ptr must be 1-D with at least one entry, got shape {tuple(ptr.shape)}")
        counts = ptr[1:] - ptr[:-1]
        index = torch.repeat_interleave(torch.arange(counts.numel(), device=ptr.device), counts,
                                        output_size=x.size(dim))
        if dim_size is None:
            dim_size = counts.numel()
        return index, dim_size, dim
    if index.dim() != 1:
        raise ValueError(f"{name}: index must be 1-D, got shape {tuple(index.shape)}")
    if index.dtype not in (torch.int64, torch.int32):
        raise ValueError(f"{name}: index must be int64 or int32, got {index.dtype}")
    if index.numel() != x.size(dim):
        raise ValueError(f"{name}: index has {index.numel()} entries but x has {x.size(dim)} "
                         f"rows along dim {dim}")
    if dim_size is None:
        dim_size = int(index.max()) + 1 if index.numel() > 0 else 0
    return index.long(), dim_size, dim


def bview(t: Tensor, x: Tensor, dim: int) -> Tensor:
    """A 1-D tensor ``t`` viewed so it broadcasts against ``x`` along ``dim``."""
    shape = [1] * x.dim()
    shape[dim] = -1
    return t.view(shape)


def seg_sum(x: Tensor, index: Tensor, dim_size: int, dim: int) -> Tensor:
    shape = list(x.shape)
    shape[dim] = dim_size
    return x.new_zeros(shape).index_add(dim, index, x)


def seg_count(x: Tensor, index: Tensor, dim_size: int) -> Tensor:
    """Messages per destination, as ``x``'s dtype, shape ``[dim_size]``."""
    return x.new_zeros(dim_size).index_add(0, index, x.new_ones(index.numel()))


def seg_max(x: Tensor, index: Tensor, dim_size: int, dim: int) -> Tensor:
    shape = list(x.shape)
    shape[dim] = dim_size
    expanded = bview(index, x, dim).expand_as(x)
    return x.new_zeros(shape).scatter_reduce(dim, expanded, x, "amax", include_self=False)


def gather(t: Tensor, index: Tensor, dim: int) -> Tensor:
    return t.index_select(dim, index)


def seg_softmax(src: Tensor, index: Tensor, dim_size: int, dim: int) -> Tensor:
    """Softmax of ``src`` within each destination (numerically stabilised by the segment max)."""
    top = seg_max(src.detach(), index, dim_size, dim)
    out = (src - gather(top, index, dim)).exp()
    denom = seg_sum(out, index, dim_size, dim)
    return out / gather(denom, index, dim).clamp(min=torch.finfo(src.dtype).tiny)


def fail_if(bad: Tensor, message: Callable[[], str]) -> None:
    """Raise ``ValueError(message())`` where ``bad`` holds; compiled, an in-graph assert (no host sync)."""
    if torch.compiler.is_compiling():
        torch._assert_async(~bad, "geode_aggr: invalid aggregation input (run eagerly for details)")
    elif bool(bad):
        raise ValueError(message())


def check_sorted(name: str, index: Tensor) -> None:
    if index.numel() > 1:
        fail_if((index[1:] < index[:-1]).any(),
                lambda: f"{name}: this aggregation depends on the order of messages and needs "
                        "index sorted in ascending order (or ptr); sort the messages by "
                        "destination first")


def to_dense(x: Tensor, index: Tensor, dim_size: int, dim: int, fill: float = 0.0,
             sort: bool = True, max_num: int | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """Messages laid out as ``[dim_size, max_num, *rest]`` (``x``'s ``dim`` moved first).

    Returns ``(dense, mask, counts)``. With ``sort`` the messages are first ordered by
    destination (stably, so the given order within a destination is kept).
    """
    x = x.movedim(dim, 0)
    if sort and index.numel() > 1:
        index, perm = torch.sort(index, stable=True)
        x = x[perm]
    counts = torch.zeros(dim_size, dtype=torch.long, device=x.device).index_add(
        0, index, torch.ones_like(index))
    if max_num is None:
        max_num = int(counts.max()) if dim_size > 0 and index.numel() > 0 else 0
    max_num = max(max_num, 1)
    starts = torch.cumsum(counts, 0) - counts
    pos = torch.arange(index.numel(), device=x.device) - starts[index]
    keep = pos < max_num
    dense = x.new_full((dim_size, max_num, *x.shape[1:]), fill)
    dense[index[keep], pos[keep]] = x[keep]
    mask = torch.zeros(dim_size, max_num, dtype=torch.bool, device=x.device)
    mask[index[keep], pos[keep]] = True
    return dense, mask, counts


def from_first(out: Tensor, dim: int) -> Tensor:
    """Move the destination axis (first) back to ``dim``."""
    return out.movedim(0, dim)
