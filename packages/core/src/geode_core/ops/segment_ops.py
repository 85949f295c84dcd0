"""Segment reductions and segment softmax over CSR pointers, as ``geode`` custom ops."""

from __future__ import annotations

import torch
from torch import Tensor

from .csr_spmm import row_of
from .scatter_ops import extreme_backward, gather_rows, reduce_rows

_SEGMENT_REDUCTIONS = ("sum", "mean", "max", "min")


# -- segment reductions ----------------------------------------------------------------
def _expand(values: Tensor, ptr: Tensor, total: int) -> Tensor:
    counts = ptr[1:] - ptr[:-1]
    return torch.repeat_interleave(values, counts, dim=0, output_size=total)


@torch.library.custom_op("geode::segment_reduce", mutates_args=())
def segment_reduce(x: Tensor, ptr: Tensor, reduce: str) -> Tensor:
    """Reduce consecutive rows ``x[ptr[i]:ptr[i+1]]`` (sum, mean, max, min); empty rows are 0."""
    if reduce not in _SEGMENT_REDUCTIONS:
        raise ValueError(f"segment_reduce: reduce must be one of {_SEGMENT_REDUCTIONS}, got {reduce!r}")
    counts = ptr[1:] - ptr[:-1]
    if x.size(0) == 0:
        return x.new_zeros((counts.numel(), *x.shape[1:]))
    if x.device.type == "cpu":  # a CSR matmul over the identity columns: no atomics, no copy
        col = torch.arange(x.size(0), device=x.device)
        out = reduce_rows(ptr, col, x, "sum" if reduce == "mean" else reduce)
        if reduce == "mean":
            out = out / counts.clamp(min=1).to(x.dtype).view(-1, *([1] * (x.dim() - 1)))
        return out
    out = torch.segment_reduce(x, reduce, offsets=ptr, axis=0)
    empty = (counts == 0).view(-1, *([1] * (x.dim() - 1)))
    return torch.where(empty, torch.zeros((), dtype=x.dtype), out)


@segment_reduce.register_fake
def _(x, ptr, reduce):
    return x.new_empty((ptr.shape[0] - 1, *x.shape[1:]))


def _segment_setup(ctx, inputs, output):
    x, ptr, reduce = inputs
    ctx.reduce = reduce
    ctx.save_for_backward(x, ptr, output)


def _segment_backward(ctx, grad):
    x, ptr, out = ctx.saved_tensors
    row = row_of(ptr, x.size(0))
    if ctx.reduce == "sum":
        return gather_rows(grad, row), None, None
    if ctx.reduce == "mean":
        count = (ptr[1:] - ptr[:-1]).clamp(min=1).to(grad.dtype).view(-1, *([1] * (x.dim() - 1)))
        return gather_rows(grad / count, row), None, None
    return extreme_backward(grad, x, row, out), None, None


segment_reduce.register_autograd(_segment_backward, setup_context=_segment_setup)


# -- segment softmax -------------------------------------------------------------------
@torch.library.custom_op("geode::segment_softmax", mutates_args=())
def segment_softmax(src: Tensor, ptr: Tensor) -> Tensor:
    """Softmax over each segment ``src[ptr[i]:ptr[i+1]]`` (along dim 0, per trailing entry)."""
    if src.size(0) == 0:
        return src.clone()
    total = src.size(0)
    top = torch.segment_reduce(src, "max", offsets=ptr, axis=0)
    top = torch.where(torch.isfinite(top), top, torch.zeros((), dtype=src.dtype))
    exp = (src - _expand(top, ptr, total)).exp()
    denom = torch.segment_reduce(exp, "sum", offsets=ptr, axis=0)
    return exp / _expand(denom, ptr, total).clamp(min=torch.finfo(src.dtype).tiny)


@segment_softmax.register_fake
def _(src, ptr):
    return torch.empty_like(src)


def _softmax_setup(ctx, inputs, output):
    ctx.save_for_backward(inputs[1], output)


def _softmax_backward(ctx, grad):
    ptr, y = ctx.saved_tensors
    inner = segment_reduce(grad * y, ptr, "sum")
    return y * (grad - _expand(inner, ptr, y.size(0))), None


segment_softmax.register_autograd(_softmax_backward, setup_context=_softmax_setup)
