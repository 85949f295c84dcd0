"""Scatter reductions and fused gather-scatter as ``geode`` custom ops (along dim 0).

On CPU both sort the scatter index once (skipped for an index found sorted, a one-pass
check) and run a CSR matmul (no row per edge for gather-scatter, no atomics); elsewhere they
use torch's scatter/index ops. The backward of a scatter writes its one per-message tensor
(the gradient) into a huge-page-backed buffer (:mod:`.hugepages`) and allocates no other.
"""

from __future__ import annotations

import torch
from torch import Tensor

from . import hugepages
from .csr_spmm import csr, csr_matmul, csr_rows, extreme_grads, sddmm

SCATTER_REDUCTIONS = ("sum", "mean", "min", "max", "mul")
GATHER_SCATTER_REDUCTIONS = ("sum", "mean", "min", "max")


def _check(name: str, reduce: str, allowed) -> None:
    if reduce not in allowed:
        raise ValueError(f"{name}: reduce must be one of {allowed}, got {reduce!r}")


def index_csr(index: Tensor, dim_size: int, skip_sorted: bool = False) -> tuple[Tensor, Tensor]:
    """``(rowptr, perm)``: ``index`` sorted stably, as CSR pointers over ``dim_size`` rows.

    With ``skip_sorted`` an already sorted ``index`` (checked in one pass, a data-dependent
    branch: only inside an op's opaque implementation, never in a traced backward) is not
    sorted again.
    """
    if skip_sorted and (index.numel() < 2 or bool((index[1:] >= index[:-1]).all())):
        sorted_index, perm = index, torch.arange(index.numel(), device=index.device)
    else:
        sorted_index, perm = torch.sort(index, stable=True)
    rowptr = torch.searchsorted(sorted_index, torch.arange(dim_size + 1, device=index.device))
    return rowptr, perm


def counts(index: Tensor, dim_size: int, dtype) -> Tensor:
    """Entries per group as ``dtype``, at least 1 (so dividing by it leaves empty groups 0)."""
    return torch.zeros(dim_size, dtype=dtype, device=index.device).index_add_(
        0, index, torch.ones(index.numel(), dtype=dtype, device=index.device)).clamp_(min=1)


def _bview(t: Tensor, like: Tensor) -> Tensor:
    return t.view(-1, *([1] * (like.dim() - 1)))


def _scatter_torch(src: Tensor, index: Tensor, dim_size: int, reduce: str) -> Tensor:
    shape = (dim_size, *src.shape[1:])
    if reduce in ("sum", "mean"):
        out = src.new_zeros(shape).index_add_(0, index, src)
        return out / _bview(counts(index, dim_size, src.dtype), out) if reduce == "mean" else out
    op = {"min": "amin", "max": "amax", "mul": "prod"}[reduce]
    expanded = _bview(index, src).expand_as(src)
    return src.new_zeros(shape).scatter_reduce_(0, expanded, src, op, include_self=False)


def reduce_rows(rowptr: Tensor, col: Tensor, src: Tensor, reduce: str) -> Tensor:
    """:func:`~.csr_spmm.csr_rows` without weights, for aggregations (sum, max, min).

    On CPU always torch's CSR reduction kernel: over rows that are the messages themselves it
    beats MKL's sparse addmm that ``csr_rows`` picks for sums (2.1 vs 7.5 ms for 200,000 x 64
    rows into 10,000, one thread; 1.8 vs 4.2 ms with two).
    """
    if src.device.type != "cpu" or col.numel() == 0:
        return csr_rows(rowptr, col, None, src, reduce)
    flat = src.reshape(src.size(0), -1)
    out = torch.sparse.mm(csr(rowptr, col, None, src.size(0), src.dtype), flat,
                          "sum" if reduce == "sum" else "a" + reduce)
    return out.reshape(rowptr.numel() - 1, *src.shape[1:])


def _scatter_impl(src: Tensor, index: Tensor, dim_size: int, reduce: str) -> Tensor:
    if src.device.type != "cpu" or reduce == "mul" or src.size(0) == 0:
        return _scatter_torch(src, index, dim_size, reduce)
    rowptr, perm = index_csr(index, dim_size, skip_sorted=True)
    out = reduce_rows(rowptr, perm, src, "sum" if reduce == "mean" else reduce)
    if reduce != "mean":
        return out
    return out.div_(_bview((rowptr[1:] - rowptr[:-1]).clamp_(min=1).to(src.dtype), out))


@torch.library.custom_op("geode::scatter_reduce", mutates_args=())
def scatter_reduce(src: Tensor, index: Tensor, dim_size: int, reduce: str) -> Tensor:
    """``out[i] = reduce_{e: index[e]=i} src[e]`` (sum, mean, min, max, mul); empty groups are 0."""
    _check("scatter_reduce", reduce, SCATTER_REDUCTIONS)
    return _scatter_impl(src, index, dim_size, reduce)


@scatter_reduce.register_fake
def _(src, index, dim_size, reduce):
    return src.new_empty((dim_size, *src.shape[1:]))


def _scatter_setup(ctx, inputs, output):
    src, index, _, reduce = inputs
    ctx.reduce = reduce
    ctx.save_for_backward(src, index, output)


def _scatter_backward(ctx, grad):
    src, index, out = ctx.saved_tensors
    reduce, dim_size = ctx.reduce, out.size(0)
    if reduce == "sum":
        grad_src = gather_rows(grad, index)
    elif reduce == "mean":
        grad_src = gather_rows(grad / _bview(counts(index, dim_size, grad.dtype), grad), index)
    elif reduce == "mul":
        # d out / d src[e] = product of the other entries of its group (zeros handled exactly)
        zero = src == 0
        nonzero_prod = _scatter_torch(torch.where(zero, torch.ones_like(src), src), index, dim_size, "mul")
        num_zero = src.new_zeros(out.shape).index_add_(0, index, zero.to(src.dtype))
        others = torch.where(zero, nonzero_prod.index_select(0, index),
                             out.index_select(0, index) / torch.where(zero, torch.ones_like(src), src))
        others = torch.where(zero & (num_zero.index_select(0, index) > 1), torch.zeros_like(src), others)
        grad_src = grad.index_select(0, index) * others
    else:
        grad_src = extreme_backward(grad, src, index, out)
    return grad_src, None, None, None


scatter_reduce.register_autograd(_scatter_backward, setup_context=_scatter_setup)


# -- per-message gradients ------------------------------------------------------------
@torch.library.custom_op("geode::gather_rows", mutates_args=())
def gather_rows(src: Tensor, index: Tensor) -> Tensor:
    """``src.index_select(0, index)``, written into a huge-page-backed buffer on CPU."""
    out = hugepages.empty((index.numel(), *src.shape[1:]), src)
    return torch.index_select(src, 0, index, out=out)


@gather_rows.register_fake
def _(src, index):
    return src.new_empty((index.shape[0], *src.shape[1:]))


def _gather_rows_setup(ctx, inputs, output):
    ctx.num_rows = inputs[0].size(0)
    ctx.save_for_backward(inputs[1])


def _gather_rows_backward(ctx, grad):
    index, = ctx.saved_tensors
    return scatter_reduce(grad, index, ctx.num_rows, "sum"), None


gather_rows.register_autograd(_gather_rows_backward, setup_context=_gather_rows_setup)


@torch.library.custom_op("geode::extreme_backward", mutates_args=())
def extreme_backward(grad: Tensor, src: Tensor, index: Tensor, out: Tensor) -> Tensor:
    """Gradient of a max/min scatter: each group's ``grad`` split among the entries attaining ``out``.

    Two per-message buffers: the hits (1.0 where ``src`` equals its group's ``out``) and the result.
    """
    hit = gather_rows(out, index)
    torch.eq(src, hit, out=hit)
    ties = _scatter_impl(hit, index, out.size(0), "sum").clamp_(min=1)
    return gather_rows(grad / ties, index).mul_(hit)


@extreme_backward.register_fake
def _(grad, src, index, out):
    return src.new_empty(src.shape)


def _extreme_setup(ctx, inputs, output):
    ctx.save_for_backward(*inputs[1:])


def _extreme_double_backward(ctx, grad):
    # linear in ``grad``: the adjoint sums the hit entries back into their group
    src, index, out = ctx.saved_tensors
    hit = (src == out.index_select(0, index)).to(grad.dtype)
    ties = _scatter_impl(hit, index, out.size(0), "sum").clamp(min=1)
    return scatter_reduce(grad * hit, index, out.size(0), "sum") / ties, None, None, None


extreme_backward.register_autograd(_extreme_double_backward, setup_context=_extreme_setup)


def _gather_scatter(x, gather_index, scatter_index, value, dim_size, reduce, skip_sorted=False):
    rowptr, perm = index_csr(scatter_index, dim_size, skip_sorted)
    col = gather_index.index_select(0, perm)
    weight = None if value is None else value.to(x.dtype).index_select(0, perm)
    if reduce == "mean":
        count = counts(scatter_index, dim_size, x.dtype)
        row = scatter_index.index_select(0, perm)
        scale = count.reciprocal().index_select(0, row)
        weight = scale if weight is None else weight * scale
    return csr_matmul(rowptr, col, weight, x, "sum" if reduce == "mean" else reduce)


@torch.library.custom_op("geode::gather_scatter", mutates_args=())
def gather_scatter(x: Tensor, gather_index: Tensor, scatter_index: Tensor, value: Tensor | None,
                   dim_size: int, reduce: str) -> Tensor:
    """``out[i] = reduce_{e: scatter_index[e]=i} value[e] * x[gather_index[e]]`` in one pass.

    ``index_select`` + scatter fused (sum, mean, min, max); groups without entries are 0.
    """
    _check("gather_scatter", reduce, GATHER_SCATTER_REDUCTIONS)
    return _gather_scatter(x, gather_index, scatter_index, value, dim_size, reduce, skip_sorted=True)


@gather_scatter.register_fake
def _(x, gather_index, scatter_index, value, dim_size, reduce):
    return x.new_empty((dim_size, *x.shape[1:]))


def _gs_setup(ctx, inputs, output):
    x, gather_index, scatter_index, value, _, reduce = inputs
    ctx.reduce = reduce
    ctx.save_for_backward(x, gather_index, scatter_index, value, output)


def _gs_backward(ctx, grad):
    x, gather_index, scatter_index, value, out = ctx.saved_tensors
    need_x, need_value = ctx.needs_input_grad[0], ctx.needs_input_grad[3]
    if ctx.reduce in ("max", "min"):
        grad_x, grad_value = extreme_grads(scatter_index, gather_index, value, x, out, grad,
                                           need_x, need_value, x.size(0))
        return grad_x, None, None, grad_value, None, None
    grad_x = grad_value = None
    scale = None
    if ctx.reduce == "mean":
        scale = counts(scatter_index, out.size(0), grad.dtype).reciprocal().index_select(0, scatter_index)
    if need_x:
        weight = scale if value is None else value if scale is None else value.to(grad.dtype) * scale
        grad_x = _gather_scatter(grad, scatter_index, gather_index, weight, x.size(0), "sum")
    if value is not None and need_value:
        rowptr, perm = index_csr(scatter_index, out.size(0))
        per_edge = sddmm(rowptr, gather_index.index_select(0, perm), grad, x)
        grad_value = torch.empty_like(per_edge).index_copy_(0, perm, per_edge)
        if scale is not None:
            grad_value = grad_value * scale
    return grad_x, None, None, grad_value, None, None


gather_scatter.register_autograd(_gs_backward, setup_context=_gs_setup)
