"""The ``geode`` torch.library custom ops: reference kernels, fake kernels, autograd."""

from __future__ import annotations

import warnings

import torch
from torch import Tensor

warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta state")

_SEGMENT_REDUCTIONS = ("sum", "mean", "max", "min")


# -- CSR SpMM --------------------------------------------------------------------------
def _csr_mm(rowptr: Tensor, col: Tensor, value: Tensor | None, x: Tensor, num_rows: int) -> Tensor:
    flat = x.reshape(x.size(0), -1)
    if value is None:
        value = torch.ones(col.numel(), dtype=x.dtype, device=x.device)
    if col.numel() == 0:
        out = flat.new_zeros(num_rows, flat.size(1))
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
            adj = torch.sparse_csr_tensor(rowptr, col, value.to(x.dtype), size=(num_rows, x.size(0)),
                                          check_invariants=False)
        out = adj @ flat
    return out.reshape(num_rows, *x.shape[1:])


def _mean_scale(rowptr: Tensor, row: Tensor, value: Tensor | None, dtype) -> Tensor:
    deg = (rowptr[1:] - rowptr[:-1]).clamp(min=1).to(dtype)
    scale = deg.reciprocal().index_select(0, row)
    return scale if value is None else value * scale


def _spmm_impl(rowptr, col, row, value, x, mean: bool) -> Tensor:
    if mean:
        value = _mean_scale(rowptr, row, value, x.dtype)
    return _csr_mm(rowptr, col, value, x, rowptr.numel() - 1)


@torch.library.custom_op("geode::spmm_sum", mutates_args=())
def spmm_sum(rowptr: Tensor, col: Tensor, row: Tensor, value: Tensor | None, rowptr_t: Tensor,
             col_t: Tensor, perm_t: Tensor, x: Tensor) -> Tensor:
    """``out[i] = sum_{e: dst=i} value[e] * x[col[e]]`` over a destination-sorted CSR."""
    return _spmm_impl(rowptr, col, row, value, x, mean=False)


@torch.library.custom_op("geode::spmm_mean", mutates_args=())
def spmm_mean(rowptr: Tensor, col: Tensor, row: Tensor, value: Tensor | None, rowptr_t: Tensor,
              col_t: Tensor, perm_t: Tensor, x: Tensor) -> Tensor:
    """As ``spmm_sum`` divided by each destination's in-degree (zero rows stay zero)."""
    return _spmm_impl(rowptr, col, row, value, x, mean=True)


def _spmm_fake(rowptr, col, row, value, rowptr_t, col_t, perm_t, x):
    return x.new_empty((rowptr.shape[0] - 1, *x.shape[1:]))


def _spmm_setup(ctx, inputs, output):
    rowptr, col, row, value, rowptr_t, col_t, perm_t, x = inputs
    ctx.save_for_backward(rowptr, col, row, value, rowptr_t, col_t, perm_t, x)


def _make_spmm_backward(mean: bool):
    def backward(ctx, grad):
        rowptr, col, row, value, rowptr_t, col_t, perm_t, x = ctx.saved_tensors
        eff = _mean_scale(rowptr, row, value, grad.dtype) if mean else value
        grad_x = grad_value = None
        if ctx.needs_input_grad[7]:
            eff_t = None if eff is None else eff.index_select(0, perm_t)
            grad_x = spmm_sum(rowptr_t, col_t, col.index_select(0, perm_t), eff_t, rowptr, row,
                              torch.argsort(perm_t), grad)
        if value is not None and ctx.needs_input_grad[3]:
            g = grad.reshape(grad.size(0), -1).index_select(0, row)
            xs = x.reshape(x.size(0), -1).index_select(0, col)
            grad_value = (g * xs).sum(-1)
            if mean:
                grad_value = grad_value * _mean_scale(rowptr, row, None, grad.dtype)
        return None, None, None, grad_value, None, None, None, grad_x

    return backward


for _op, _mean in ((spmm_sum, False), (spmm_mean, True)):
    _op.register_fake(_spmm_fake)
    _op.register_autograd(_make_spmm_backward(_mean), setup_context=_spmm_setup)


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
    total = x.size(0)
    shape = (-1, *([1] * (x.dim() - 1)))
    if ctx.reduce == "sum":
        return _expand(grad, ptr, total), None, None
    if ctx.reduce == "mean":
        count = (ptr[1:] - ptr[:-1]).clamp(min=1).to(grad.dtype).view(shape)
        return _expand(grad / count, ptr, total), None, None
    hit = (x == _expand(out, ptr, total)).to(grad.dtype)
    ties = segment_reduce(hit, ptr, "sum").clamp(min=1)
    return hit * _expand(grad / ties, ptr, total), None, None


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
