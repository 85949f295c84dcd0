"""The softmax aggregation ``sum_i softmax_i(t * x_i) * x_i`` per destination as one op.

Written as separate torch ops it materialises several per-message tensors (scores, their
exponentials, weights, weighted messages) forward and about as many backward. Fused, the
forward reads ``x`` in row blocks that stay in cache (the segment maximum of ``t * x`` is
``t`` times the maximum or minimum of ``x``, from torch's CSR reductions) and the backward
recomputes the weights block by block, writing only the message gradient:

``d out_s / d x_e = w_e * (1 + t * (x_e - out_s))`` and ``d out_s / d t = sum_e w_e x_e (x_e - out_s)``
(per channel), where ``w`` are the softmax weights. A backward that must itself be
differentiable (``create_graph=True``) runs the aggregation again in plain torch ops instead.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import hugepages, scatter_ops

from ._segment import row_blocks


def _segment_top(x: Tensor, t: Tensor, index: Tensor, dim_size: int) -> Tensor:
    """The per-destination maximum of ``t * x`` (0 for an empty destination)."""
    high = scatter_ops.scatter_reduce(x, index, dim_size, "max")
    low = scatter_ops.scatter_reduce(x, index, dim_size, "min")
    return torch.where(t >= 0, t * high, t * low)


@torch.library.custom_op("geode_aggr::softmax_aggregate", mutates_args=())
def softmax_aggregate(x: Tensor, t: Tensor, index: Tensor, dim_size: int,
                      semi_grad: bool) -> tuple[Tensor, Tensor, Tensor]:
    """``(out, top, denom)`` for ``x [N, F]``, temperatures ``t [F]``; ``out`` is the aggregation.

    ``top`` (the segment maximum of ``t * x``) and ``denom`` (the softmax denominators) are
    kept for the backward. ``semi_grad`` only changes the backward (weights held constant).
    """
    top = _segment_top(x, t, index, dim_size)
    denom = x.new_zeros(dim_size, x.size(1))
    weighted = x.new_zeros(dim_size, x.size(1))
    for start, end in row_blocks(x.size(0)):
        rows, dst = x[start:end], index[start:end]
        e = (rows * t).sub_(top.index_select(0, dst)).exp_()
        denom.index_add_(0, dst, e)
        weighted.index_add_(0, dst, e.mul_(rows))
    denom.clamp_(min=torch.finfo(x.dtype).tiny)
    return weighted / denom, top, denom


@softmax_aggregate.register_fake
def _(x, t, index, dim_size, semi_grad):
    return tuple(x.new_empty(dim_size, x.size(1)) for _ in range(3))


@torch.library.custom_op("geode_aggr::softmax_aggregate_backward", mutates_args=())
def softmax_aggregate_backward(grad: Tensor, x: Tensor, t: Tensor, index: Tensor, out: Tensor,
                               top: Tensor, denom: Tensor, semi_grad: bool,
                               need_t: bool) -> tuple[Tensor, Tensor]:
    """``(grad_x, grad_t)`` of :func:`softmax_aggregate`'s ``out`` (``grad_t`` zero unless ``need_t``)."""
    grad_x = hugepages.empty(tuple(x.shape), x)
    grad_t = x.new_zeros(x.size(1))
    shift = top + denom.log()  # w = exp(t * x - shift)
    for start, end in row_blocks(x.size(0)):
        rows, dst = x[start:end], index[start:end]
        gw = (rows * t).sub_(shift.index_select(0, dst)).exp_().mul_(grad.index_select(0, dst))
        if semi_grad:
            grad_x[start:end] = gw
            continue
        gc = (rows - out.index_select(0, dst)).mul_(gw)
        if need_t:
            grad_t += (gc * rows).sum(0)
        torch.addcmul(gw, gc, t, out=grad_x[start:end])
    return grad_x, grad_t


@softmax_aggregate_backward.register_fake
def _(grad, x, t, index, out, top, denom, semi_grad, need_t):
    return x.new_empty(x.shape), x.new_empty(x.size(1))


def _setup(ctx, inputs, output):
    x, t, index, _, semi_grad = inputs
    ctx.semi_grad = semi_grad
    ctx.save_for_backward(x, t, index, *output)


def _plain_aggregate(x: Tensor, t: Tensor, index: Tensor, dim_size: int, semi_grad: bool) -> Tensor:
    """The same aggregation in differentiable torch ops (one tensor per message)."""
    scores = x * t
    top = scatter_ops.scatter_reduce(scores.detach(), index, dim_size, "max")
    e = (scores - top.index_select(0, index)).exp()
    denom = e.new_zeros(dim_size, x.size(1)).index_add(0, index, e)
    w = e / denom.clamp(min=torch.finfo(x.dtype).tiny).index_select(0, index)
    if semi_grad:
        w = w.detach()
    return x.new_zeros(dim_size, x.size(1)).index_add(0, index, w * x)


def _backward(ctx, grad, _grad_top, _grad_denom):
    x, t, index, out, top, denom = ctx.saved_tensors
    need_t = ctx.needs_input_grad[1] and not ctx.semi_grad
    if torch.is_grad_enabled():  # create_graph=True: gradients that are differentiable again
        wrt = [v for v, need in ((x, ctx.needs_input_grad[0]), (t, need_t)) if need and v.requires_grad]
        with torch.enable_grad():
            grads = iter(torch.autograd.grad(_plain_aggregate(x, t, index, out.size(0), ctx.semi_grad),
                                             wrt, grad, create_graph=True))
        grad_x = next(grads) if any(v is x for v in wrt) else None
        grad_t = next(grads) if any(v is t for v in wrt) else None
        return grad_x, grad_t, None, None, None
    grad_x, grad_t = softmax_aggregate_backward(grad, x, t, index, out, top, denom, ctx.semi_grad,
                                                need_t)
    return grad_x, grad_t if need_t else None, None, None, None


softmax_aggregate.register_autograd(_backward, setup_context=_setup)
