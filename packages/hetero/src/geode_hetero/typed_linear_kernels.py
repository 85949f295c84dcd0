"""Kernels of the ``hetero_linear`` op, the arithmetic of :class:`~geode_hetero.HeteroLinear`.

Calling convention: ``(x [N, K], type_vec [N], weight [T, K, M], bias [T, M] or None,
is_sorted) -> [N, M]`` with ``out[n] = x[n] @ weight[type_vec[n]] + bias[type_vec[n]]``; the
registry is asked with ``size=T`` (the number of types).

* ``sorted``: rows grouped by type (a stable sort unless ``is_sorted``), multiplied by the
  ``segment_matmul`` kernel the registry chooses, and put back; any number of types.
* ``type_loop`` (``geode::typed_linear_loop``): rows grouped by one pass over ``type_vec`` per
  type (no sort), one ``addmm`` per type with its bias, each result written back in place;
  the backward reuses the grouped rows and writes each type's input gradient once, where
  autograd of a hand-written loop zero-fills and scatter-adds. The passes over ``type_vec``
  make it a few-types kernel.

The crossover is measured, not guessed: ``python bench/hetero.py --crossover --repeats 31``
times both kernels forced (forward + backward, 20,000 unsorted rows, 64 -> 64, one CPU
thread, interleaved repeats; bench/results/hetero-crossover.json). On this project's shared
2-core CPU (AMD EPYC, torch 2.13), two runs gave ``type_loop`` / ``sorted`` medians of
0.52-0.53x at 1 type, 0.82-0.99x at 2, 0.93-1.03x at 4, 0.86-1.07x at 8, 0.97-1.01x at 16,
0.91-0.95x at 32 and 0.97-1.07x at 64: a clear win at one type, a tie or a small win up to
16, a tie beyond, where its per-type passes over ``type_vec`` and per-type calls keep
growing with the number of types (the sorted kernel pads short segments into one batched
product). So ``type_loop`` takes 1 to :data:`LOOP_MAX_TYPES` types and ``sorted`` the rest.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import segment_mm

#: most types the per-type loop kernel takes (measured crossover, see the module docstring)
LOOP_MAX_TYPES = 16


def _grouping(type_vec: Tensor, num_types: int, is_sorted: bool,
              perm: Tensor | None = None) -> tuple[list[int], Tensor]:
    """``(ptr, perm)``: rows ``perm[ptr[t]:ptr[t + 1]]`` are type ``t``'s (one pass over
    ``type_vec`` per type, no sort; with ``perm`` given, only the counts are taken). ``perm`` is
    empty when the rows are in type order already (``is_sorted``, or a single type)."""
    if _in_type_order(is_sorted, num_types):
        types = torch.arange(num_types + 1, device=type_vec.device, dtype=type_vec.dtype)
        return torch.searchsorted(type_vec, types).tolist(), type_vec.new_empty(0)
    if perm is None:
        rows = [(type_vec == t).nonzero().view(-1) for t in range(num_types)]
        counts = [r.numel() for r in rows]
        perm = torch.cat(rows)
    else:
        counts = torch.bincount(type_vec, minlength=num_types).tolist()
    ptr = [0]
    for c in counts:
        ptr.append(ptr[-1] + c)
    return ptr, perm


def _in_type_order(is_sorted: bool, num_types: int) -> bool:
    return is_sorted or num_types == 1


def _product(rows: Tensor, weight: Tensor, bias: Tensor | None, out: Tensor | None = None) -> Tensor:
    if bias is None:
        return torch.mm(rows, weight, out=out)
    return torch.addmm(bias, rows, weight, out=out)


@torch.library.custom_op("geode::typed_linear_loop", mutates_args=())
def typed_linear_loop_op(x: Tensor, type_vec: Tensor, weight: Tensor, bias: Tensor | None,
                         is_sorted: bool) -> tuple[Tensor, Tensor, Tensor]:
    """``(out, x_grouped, perm)``: ``out[n] = x[n] @ weight[type_vec[n]] + bias[type_vec[n]]``
    by one ``addmm`` per type over the rows grouped by type (``x_grouped = x[perm]``, kept for
    the backward; both empty when the rows are in type order already)."""
    ptr, perm = _grouping(type_vec, weight.size(0), is_sorted)
    out = x.new_empty((x.size(0), weight.size(-1)))
    ordered = _in_type_order(is_sorted, weight.size(0))
    rows = x if ordered else x.index_select(0, perm)
    for t in range(weight.size(0)):
        lo, hi = ptr[t], ptr[t + 1]
        if hi == lo:
            continue
        b = None if bias is None else bias[t]
        if ordered:
            _product(rows[lo:hi], weight[t], b, out=out[lo:hi])
        else:  # per-type results written back in place: measured steadier than one gather
            out.index_copy_(0, perm[lo:hi], _product(rows[lo:hi], weight[t], b))
    return out, (x.new_empty(0) if ordered else rows), perm


@typed_linear_loop_op.register_fake
def _(x, type_vec, weight, bias, is_sorted):
    ordered = _in_type_order(is_sorted, weight.shape[0])
    rows = x.new_empty(0) if ordered else x.new_empty(x.shape)
    perm = type_vec.new_empty(0) if ordered else type_vec.new_empty(type_vec.shape)
    return x.new_empty((x.shape[0], weight.shape[-1])), rows, perm


@torch.library.custom_op("geode::typed_linear_loop_backward", mutates_args=())
def typed_linear_loop_backward(grad: Tensor, x_grouped: Tensor, type_vec: Tensor, perm: Tensor,
                               weight: Tensor, need_x: bool, with_bias: bool) -> tuple[Tensor, Tensor, Tensor]:
    """Gradients of :func:`typed_linear_loop_op` for ``x`` (empty unless ``need_x``),
    ``weight`` and ``bias`` (empty unless ``with_bias``); ``perm`` empty: rows in type order,
    ``x_grouped`` is then ``x`` itself."""
    num_types = weight.size(0)
    ordered = perm.numel() == 0
    ptr, _ = _grouping(type_vec, num_types, ordered, perm)
    if ordered:
        grad = grad.contiguous()
    grad_x = grad.new_empty((grad.size(0), x_grouped.size(1)) if need_x else (0,))
    grad_w = weight.new_zeros(weight.shape)
    grad_b = weight.new_zeros((num_types, weight.size(-1)) if with_bias else (0,))
    for t in range(num_types):
        lo, hi = ptr[t], ptr[t + 1]
        if hi == lo:
            continue
        g = grad[lo:hi] if ordered else grad.index_select(0, perm[lo:hi])
        torch.mm(x_grouped[lo:hi].t(), g, out=grad_w[t])
        if with_bias:
            torch.sum(g, 0, out=grad_b[t])
        if need_x:
            if ordered:
                torch.mm(g, weight[t].t(), out=grad_x[lo:hi])
            else:
                grad_x.index_copy_(0, perm[lo:hi], g @ weight[t].t())
    return grad_x, grad_w, grad_b


@typed_linear_loop_backward.register_fake
def _(grad, x_grouped, type_vec, perm, weight, need_x, with_bias):
    return (grad.new_empty((grad.shape[0], x_grouped.shape[1]) if need_x else (0,)),
            weight.new_empty(weight.shape),
            weight.new_empty((weight.shape[0], weight.shape[-1]) if with_bias else (0,)))


def _setup(ctx, inputs, output):
    x, type_vec, weight, bias, is_sorted = inputs
    _, rows, perm = output
    ctx.save_for_backward(x if _in_type_order(is_sorted, weight.size(0)) else rows, type_vec, perm, weight)
    ctx.with_bias = bias is not None


def _backward(ctx, grad, _grad_rows, _grad_perm):
    x_grouped, type_vec, perm, weight = ctx.saved_tensors
    grad_x, grad_w, grad_b = typed_linear_loop_backward(
        grad, x_grouped, type_vec, perm, weight, ctx.needs_input_grad[0], ctx.with_bias)
    return (grad_x if ctx.needs_input_grad[0] else None, None, grad_w,
            grad_b if ctx.with_bias else None, None)


typed_linear_loop_op.register_autograd(_backward, setup_context=_setup)


def typed_linear_loop(x: Tensor, type_vec: Tensor, weight: Tensor, bias: Tensor | None,
                      is_sorted: bool) -> Tensor:
    """``x[n] @ weight[type_vec[n]] + bias[type_vec[n]]``, one ``addmm`` per type."""
    return typed_linear_loop_op(x, type_vec, weight, bias, is_sorted)[0]


class _PermuteRows(torch.autograd.Function):
    """``x[index]`` for a permutation ``index``: the backward is a gather by the inverse
    permutation rather than a scatter (several times faster on CPU)."""

    @staticmethod
    def forward(ctx, x: Tensor, index: Tensor, inverse: Tensor) -> Tensor:
        ctx.save_for_backward(inverse)
        return x.index_select(0, index)

    @staticmethod
    def backward(ctx, grad: Tensor):
        (inverse,) = ctx.saved_tensors
        return grad.index_select(0, inverse), None, None


def typed_linear_sorted(x: Tensor, type_vec: Tensor, weight: Tensor, bias: Tensor | None,
                        is_sorted: bool) -> Tensor:
    """Rows grouped by type and run as one ``segment_matmul``."""
    types = torch.arange(weight.size(0) + 1, device=x.device, dtype=type_vec.dtype)
    if is_sorted:
        out = segment_mm(x, torch.searchsorted(type_vec, types), weight)
    else:
        sorted_types, perm = torch.sort(type_vec, stable=True)
        inverse = torch.empty_like(perm).scatter_(0, perm, torch.arange(perm.numel(), device=perm.device))
        out = segment_mm(_PermuteRows.apply(x, perm, inverse), torch.searchsorted(sorted_types, types), weight)
        out = _PermuteRows.apply(out, inverse, perm)
    return out if bias is None else out + bias.index_select(0, type_vec)


def register_typed_linear_kernels(registry) -> None:
    """The ``hetero_linear`` kernels, ``type_loop`` up to its measured crossover."""
    registry.add("type_loop", "geode_hetero.typed_linear_kernels:typed_linear_loop", op="hetero_linear",
                 device="any", dtypes=None, compile_safe=True, priority=20, sizes=(1, LOOP_MAX_TYPES),
                 description="torch.ops.geode.typed_linear_loop: one addmm per type (few types)")
    registry.add("sorted", "geode_hetero.typed_linear_kernels:typed_linear_sorted", op="hetero_linear",
                 device="any", dtypes=None, compile_safe=True, priority=10,
                 description="rows sorted by type, one segment_matmul")
