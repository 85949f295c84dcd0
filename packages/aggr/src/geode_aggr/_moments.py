"""Per-destination sum and sum of squares as one op, without a squared copy of the messages.

The shared work of sum, mean, var and std (and of a MultiAggregation over them). The
forward squares the messages in row blocks that stay in cache; the backward,
``g_sum[index] + 2 * g_squares[index] * x``, writes the message gradient block by block into
one huge-page-backed buffer: one per-message tensor in forward and backward together.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from geode_core.ops import hugepages, scatter_ops

from ._segment import row_blocks


def _rows(t: Tensor) -> Tensor:
    """``t`` as a 2-D ``[rows, features]`` view (any trailing shape, empty included)."""
    return t.reshape(t.size(0), math.prod(t.shape[1:]))



@torch.library.custom_op("geode_aggr::segment_moments", mutates_args=())
def segment_moments(x: Tensor, index: Tensor, dim_size: int) -> tuple[Tensor, Tensor]:
    """``(sum, sum of squares)`` of the rows of ``x`` per destination ``index`` (along dim 0)."""
    flat = _rows(x)
    total = scatter_ops.scatter_reduce(flat, index, dim_size, "sum")
    squares = flat.new_zeros(dim_size, flat.size(1))
    for start, end in row_blocks(flat.size(0)):
        rows = flat[start:end]
        squares.index_add_(0, index[start:end], rows * rows)
    shape = (dim_size, *x.shape[1:])
    return total.reshape(shape), squares.reshape(shape)


@segment_moments.register_fake
def _(x, index, dim_size):
    shape = (dim_size, *x.shape[1:])
    return x.new_empty(shape), x.new_empty(shape)


@torch.library.custom_op("geode_aggr::segment_moments_backward", mutates_args=())
def segment_moments_backward(x: Tensor, index: Tensor, grad_total: Tensor,
                             grad_squares: Tensor) -> Tensor:
    """``grad_total[index] + 2 * grad_squares[index] * x``: the gradient of :func:`segment_moments`."""
    flat = _rows(x)
    grad_total = _rows(grad_total)
    twice = 2 * _rows(grad_squares)
    out = hugepages.empty(tuple(flat.shape), flat)
    for start, end in row_blocks(flat.size(0)):
        block, rows = out[start:end], index[start:end]
        torch.index_select(grad_total, 0, rows, out=block)
        block.addcmul_(twice.index_select(0, rows), flat[start:end])
    return out.reshape(x.shape)


@segment_moments_backward.register_fake
def _(x, index, grad_total, grad_squares):
    return x.new_empty(x.shape)


def _moments_setup(ctx, inputs, output):
    ctx.save_for_backward(inputs[0], inputs[1])


def _moments_grad(ctx, grad_total, grad_squares):
    x, index = ctx.saved_tensors
    return segment_moments_backward(x, index, grad_total, grad_squares), None, None


segment_moments.register_autograd(_moments_grad, setup_context=_moments_setup)


def _backward_setup(ctx, inputs, output):
    x, index, grad_total, grad_squares = inputs
    ctx.save_for_backward(x, index, grad_squares)
    ctx.dim_size = grad_total.size(0)


def _backward_grad(ctx, grad):
    # the backward is linear in both incoming gradients and in x
    x, index, grad_squares = ctx.saved_tensors
    grad_x = 2 * scatter_ops.gather_rows(grad_squares, index) * grad
    grad_total = scatter_ops.scatter_reduce(grad, index, ctx.dim_size, "sum")
    grad_sq = 2 * scatter_ops.scatter_reduce(grad * x, index, ctx.dim_size, "sum")
    return grad_x, None, grad_total, grad_sq


segment_moments_backward.register_autograd(_backward_grad, setup_context=_backward_setup)
