"""Reductions over consecutive segments given by CSR pointers."""

from __future__ import annotations

from torch import Tensor

from ..ops import segment as _segment_op

SEGMENT_REDUCTIONS = ("sum", "add", "mean", "min", "max")


def segment(src: Tensor, ptr: Tensor, reduce: str = "sum") -> Tensor:
    """Reduce ``src[ptr[i]:ptr[i + 1]]`` (dim 0) for every segment ``i``.

    ``ptr`` is a non-decreasing int64 vector with ``ptr[0] == 0`` and
    ``ptr[-1] == src.size(0)`` (a CSR row pointer, e.g. ``Batch.ptr``); the output has
    ``ptr.numel() - 1`` rows and empty segments give zeros. Runs the ``geode::segment_reduce``
    kernel, so it differentiates and compiles.
    """
    if reduce not in SEGMENT_REDUCTIONS:
        raise ValueError(f"segment: reduce must be one of {SEGMENT_REDUCTIONS}, got {reduce!r}")
    if ptr.dim() != 1 or ptr.numel() == 0:
        raise ValueError(f"segment: ptr must be 1-D with at least one entry, got shape "
                         f"{list(ptr.shape)}")
    if ptr.dtype.is_floating_point or ptr.dtype == bool:
        raise ValueError(f"segment: ptr must hold integers, got dtype {ptr.dtype}")
    if src.dim() == 0:
        raise ValueError("segment: src must have at least one dimension, got a scalar")
    return _segment_op(src, ptr.long(), "sum" if reduce == "add" else reduce)
