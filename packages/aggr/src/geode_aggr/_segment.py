"""Segment helpers shared by the aggregations: index/ptr handling, sums, softmax, dense batches.

Every helper treats ``dim`` as the (non-negative) message dimension of ``x`` and
``dim_size`` as the number of destinations. Destinations without messages get zeros.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from geode_core.nn.aggr.base import prepare as prepare  # the one ptr/index helper, shared with core
from geode_core.ops import scatter_reduce


def prepare_rows(module, x: Tensor, channels: int, index: Tensor | None, ptr: Tensor | None,
                 dim_size: int | None, dim: int) -> tuple[Tensor, int]:
    """``(index, dim_size)`` for aggregations over ``[num_messages, channels]`` rows (dim 0).

    Checks the shape and dim; an order-dependent ``module`` (``requires_sorted_index``)
    given an ``index`` also checks that it is sorted (``ptr`` is sorted by construction).
    """
    name = type(module).__name__
    if x.dim() != 2 or x.size(-1) != channels:
        raise ValueError(f"{name}: x must be [num_messages, {channels}], got shape {tuple(x.shape)}")
    given_index = index is not None
    index, dim_size, dim = prepare(name, x, index, ptr, dim_size, dim)
    if dim != 0:
        raise ValueError(f"{name}: messages must lie along dim 0 (-2), got dim={dim}")
    if given_index and module.requires_sorted_index:
        check_sorted(name, index)
    return index, dim_size


#: rows per block of the fused ops: a few MB of 64 channels, reused from the allocator's cache
BLOCK = 16384


def row_blocks(num_rows: int):
    """``(start, end)`` of consecutive blocks of at most ``BLOCK`` rows."""
    return ((start, min(start + BLOCK, num_rows)) for start in range(0, num_rows, BLOCK))


def bview(t: Tensor, x: Tensor, dim: int) -> Tensor:
    """A 1-D tensor ``t`` viewed so it broadcasts against ``x`` along ``dim``."""
    shape = [1] * x.dim()
    shape[dim] = -1
    return t.view(shape)


def seg_sum(x: Tensor, index: Tensor, dim_size: int, dim: int) -> Tensor:
    """Per-destination sums through geode-core's ``scatter_reduce`` op (a CSR matmul on CPU)."""
    return scatter_reduce(x.movedim(dim, 0), index, dim_size, "sum").movedim(0, dim)


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


def is_sorted(index: Tensor) -> bool:
    """Whether ``index`` is ascending: one pass and a host read, so False (sort anyway) when compiling."""
    if index.numel() < 2:
        return True
    return not torch.compiler.is_compiling() and bool((index[1:] >= index[:-1]).all())


def dense_slots(index: Tensor, dim_size: int,
                max_num: int | None = None) -> tuple[Tensor, Tensor, Tensor, int]:
    """Where each message of a sorted ``index`` lands in a flat ``[dim_size * max_num]`` layout.

    Returns ``(slot, pos, counts, max_num)``: message ``e`` is number ``pos[e]`` of its
    destination and goes to ``slot[e] = index[e] * max_num + pos[e]`` (valid where
    ``pos < max_num``, always when ``max_num`` is None: then it is the largest destination).
    """
    counts = torch.zeros(dim_size, dtype=torch.long, device=index.device).index_add(
        0, index, torch.ones_like(index))
    if max_num is None:
        max_num = int(counts.max()) if dim_size > 0 and index.numel() > 0 else 0
    max_num = max(max_num, 1)
    starts = torch.cumsum(counts, 0) - counts
    pos = torch.arange(index.numel(), device=index.device) - starts[index]
    return index * max_num + pos, pos, counts, max_num


def to_dense(x: Tensor, index: Tensor, dim_size: int, dim: int, fill: float = 0.0,
             sort: bool = True, max_num: int | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """Messages laid out as ``[dim_size, max_num, *rest]`` (``x``'s ``dim`` moved first).

    Returns ``(dense, mask, counts)``. With ``sort`` the messages are first ordered by
    destination (stably, so the given order within a destination is kept; skipped for an
    index found sorted).
    """
    x = x.movedim(dim, 0)
    if sort and not is_sorted(index):
        index, perm = torch.sort(index, stable=True)
        x = x[perm]
    given = max_num is not None
    slot, pos, counts, max_num = dense_slots(index, dim_size, max_num)
    flat = dim_size * max_num
    # A given max_num may be too small (known eagerly from one host read): the messages
    # beyond it go to a spare slot, cut off afterwards.
    spare = given and index.numel() > 0 and (torch.compiler.is_compiling()
                                             or int(counts.max()) > max_num)
    if spare:
        slot = torch.where(pos < max_num, slot, flat)
    rest = x.shape[1:]
    dense = x.new_full((flat + int(spare), *rest), fill).index_copy(0, slot, x)
    mask = torch.zeros(flat + int(spare), dtype=torch.bool, device=x.device).index_fill_(0, slot, True)
    if spare:
        dense, mask = dense[:flat], mask[:flat]
    return dense.view(dim_size, max_num, *rest), mask.view(dim_size, max_num), counts


def from_first(out: Tensor, dim: int) -> Tensor:
    """Move the destination axis (first) back to ``dim``."""
    return out.movedim(0, dim)
