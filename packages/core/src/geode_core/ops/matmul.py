"""Typed matrix products as ``geode`` custom ops: ``segment_matmul`` and ``grouped_matmul``.

* ``segment_matmul(inputs [N, K], ptr [T + 1], other [T, K, M]) -> [N, M]``: rows
  ``ptr[t]:ptr[t + 1]`` of ``inputs`` are multiplied by ``other[t]``;
* ``grouped_matmul(inputs: list of [N_i, K_i], others: list of [K_i, M_i]) -> list of [N_i, M_i]``.

``segment_matmul`` has two kernels, each its own op with the same fake kernel and autograd:
``geode::segment_matmul`` (reference: one ``mm`` per segment) and
``geode::segment_matmul_padded`` (short segments padded to a common length and run as one
``bmm``; segments of ``_OWN_MM_ROWS`` rows or longer than twice the mean run alone, so padding
at most doubles the work).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

#: a segment longer than this many times the mean segment length is not padded
_LONG_SEGMENT = 2.0
#: a segment of at least this many rows runs as its own ``mm`` (its call overhead is
#: negligible there, so padding would only add copies); measured, see register_matmul_kernels
_OWN_MM_ROWS = 128


# -- kernels: plain functions over concrete tensors ----------------------------------------
def _loop_mm(inputs: Tensor, ptr: Tensor, other: Tensor) -> Tensor:
    out = inputs.new_empty((inputs.size(0), other.size(-1)))
    bounds = ptr.tolist()
    for t in range(other.size(0)):
        lo, hi = bounds[t], bounds[t + 1]
        if hi > lo:
            torch.mm(inputs[lo:hi], other[t], out=out[lo:hi])
    return out


def _loop_outer(inputs: Tensor, ptr: Tensor, grad: Tensor) -> Tensor:
    """``out[t] = inputs[seg t]^T @ grad[seg t]``: the gradient of ``other``."""
    out = inputs.new_zeros((ptr.numel() - 1, inputs.size(1), grad.size(1)))
    bounds = ptr.tolist()
    for t in range(ptr.numel() - 1):
        lo, hi = bounds[t], bounds[t + 1]
        if hi > lo:
            torch.mm(inputs[lo:hi].t(), grad[lo:hi], out=out[t])
    return out


class _PaddedLayout:
    """Where each row of a short segment goes in a ``[T, width]`` padded block."""

    def __init__(self, ptr: Tensor, num_rows: int):
        num_types = ptr.numel() - 1
        counts = ptr[1:] - ptr[:-1]
        long = (counts > _LONG_SEGMENT * num_rows / max(num_types, 1)) | (counts >= _OWN_MM_ROWS)
        self.long_segments = [(t, int(ptr[t]), int(ptr[t + 1])) for t in long.nonzero().view(-1).tolist()]
        self.width = int(torch.where(long, 0, counts).max()) if num_types else 0
        self.num_types = num_types
        if self.width == 0:  # nothing to pad: every segment runs as its own mm
            return
        segment = torch.repeat_interleave(torch.arange(num_types, device=ptr.device), counts,
                                          output_size=num_rows)
        offset = torch.arange(num_rows, device=ptr.device) - ptr[segment]
        if self.long_segments:
            self.rows = (~long[segment]).nonzero().view(-1)
            segment, offset = segment[self.rows], offset[self.rows]
        else:
            self.rows = None
        self.slots = segment * self.width + offset

    def pad(self, x: Tensor) -> Tensor:
        padded = x.new_zeros((self.num_types * self.width, x.size(1)))
        padded[self.slots] = x if self.rows is None else x[self.rows]
        return padded.view(self.num_types, self.width, x.size(1))


def _padded_mm(inputs: Tensor, ptr: Tensor, other: Tensor) -> Tensor:
    layout = _PaddedLayout(ptr, inputs.size(0))
    if layout.width == 0:
        return _loop_mm(inputs, ptr, other)
    product = torch.bmm(layout.pad(inputs), other).view(-1, other.size(-1))
    if layout.rows is None:
        return product[layout.slots]
    out = inputs.new_empty((inputs.size(0), other.size(-1)))
    out[layout.rows] = product[layout.slots]
    for t, lo, hi in layout.long_segments:
        torch.mm(inputs[lo:hi], other[t], out=out[lo:hi])
    return out


def _padded_outer(inputs: Tensor, ptr: Tensor, grad: Tensor) -> Tensor:
    layout = _PaddedLayout(ptr, inputs.size(0))
    if layout.width == 0:
        return _loop_outer(inputs, ptr, grad)
    out = torch.bmm(layout.pad(inputs).transpose(1, 2), layout.pad(grad))
    for t, lo, hi in layout.long_segments:
        torch.mm(inputs[lo:hi].t(), grad[lo:hi], out=out[t])
    return out


# -- custom ops ------------------------------------------------------------------------
def _check(inputs: Tensor, ptr: Tensor, other: Tensor) -> None:
    if inputs.dim() != 2 or other.dim() != 3:
        raise ValueError(f"segment_matmul: inputs must be [N, K] and other [T, K, M], got "
                         f"{tuple(inputs.shape)} and {tuple(other.shape)}")
    if ptr.dim() != 1 or ptr.numel() != other.size(0) + 1:
        raise ValueError(f"segment_matmul: ptr must have T + 1 = {other.size(0) + 1} entries, "
                         f"got shape {tuple(ptr.shape)}")
    if inputs.size(1) != other.size(1):
        raise ValueError(f"segment_matmul: inputs has {inputs.size(1)} columns but other expects "
                         f"{other.size(1)}")


def _define_segment_ops(name: str, mm, outer):
    """A ``segment_matmul`` op (with its ``other``-gradient op) run by ``mm``/``outer``."""

    @torch.library.custom_op(f"geode::{name}", mutates_args=())
    def forward(inputs: Tensor, ptr: Tensor, other: Tensor) -> Tensor:
        _check(inputs, ptr, other)
        return mm(inputs, ptr, other)

    @torch.library.custom_op(f"geode::{name}_grad_other", mutates_args=())
    def grad_other(inputs: Tensor, ptr: Tensor, grad: Tensor) -> Tensor:
        return outer(inputs, ptr, grad)

    @forward.register_fake
    def _(inputs, ptr, other):
        _check(inputs, ptr, other)
        return inputs.new_empty((inputs.shape[0], other.shape[-1]))

    @grad_other.register_fake
    def _(inputs, ptr, grad):
        return inputs.new_empty((ptr.shape[0] - 1, inputs.shape[1], grad.shape[1]))

    def setup(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    def backward(ctx, grad):
        inputs, ptr, other = ctx.saved_tensors
        grad_inputs = grad_w = None
        if ctx.needs_input_grad[0]:
            grad_inputs = forward(grad, ptr, other.transpose(1, 2).contiguous())
        if ctx.needs_input_grad[2]:
            grad_w = grad_other(inputs, ptr, grad.contiguous())
        return grad_inputs, None, grad_w

    forward.register_autograd(backward, setup_context=setup)
    return forward, grad_other


segment_matmul, segment_matmul_grad_other = _define_segment_ops(
    "segment_matmul", _loop_mm, _loop_outer)
segment_matmul_padded, segment_matmul_padded_grad_other = _define_segment_ops(
    "segment_matmul_padded", _padded_mm, _padded_outer)


def _aligned(t: Tensor, dim: int) -> Tensor:
    """``t`` zero-padded along ``dim`` to a multiple of 8 (16 bytes in bf16), as grouped GEMMs need."""
    extra = -t.size(dim) % 8
    if extra == 0:
        return t
    pad = [0, 0] * (t.dim() - 1 - dim % t.dim()) + [0, extra]
    return F.pad(t, pad)


class _ContiguousGrad(torch.autograd.Function):
    """Identity whose backward hands on a contiguous gradient (``_grouped_mm``'s backward
    rejects expanded ones, e.g. from ``.sum()``)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: Tensor) -> Tensor:
        return grad.contiguous()


def segment_matmul_cuda_grouped(inputs: Tensor, ptr: Tensor, other: Tensor) -> Tensor:
    """``segment_matmul`` by ``torch._grouped_mm`` (one grouped GEMM on Hopper, bf16).

    Inner and output sizes are zero-padded to multiples of 8 where needed; autograd and the
    fake kernel are torch's own.
    """
    _check(inputs, ptr, other)
    columns = other.size(-1)
    a = _aligned(inputs, 1)
    b = _aligned(_aligned(other, 1), 2)
    # the grouped GEMM reads the second operand column-major
    b = b.transpose(1, 2).contiguous().transpose(1, 2)
    out = torch._grouped_mm(a, b, offs=ptr[1:].to(torch.int32))
    return _ContiguousGrad.apply(out if out.size(1) == columns else out[:, :columns])


@torch.library.custom_op("geode::grouped_matmul", mutates_args=())
def grouped_matmul(inputs: list[Tensor], others: list[Tensor]) -> list[Tensor]:
    """``[inputs[i] @ others[i] for i]`` in one op."""
    if len(inputs) != len(others):
        raise ValueError(f"grouped_matmul: {len(inputs)} inputs but {len(others)} others")
    return [a @ b for a, b in zip(inputs, others)]


@grouped_matmul.register_fake
def _(inputs, others):
    return [a.new_empty((a.shape[0], b.shape[1])) for a, b in zip(inputs, others)]


def _grouped_setup(ctx, inputs, output):
    ctx.num = len(inputs[0])
    ctx.save_for_backward(*inputs[0], *inputs[1])


def _grouped_backward(ctx, grads):
    saved = ctx.saved_tensors
    inputs, others = saved[:ctx.num], saved[ctx.num:]
    grad_inputs = grad_others = None
    if ctx.needs_input_grad[0]:
        grad_inputs = grouped_matmul(list(grads), [b.t() for b in others])
    if ctx.needs_input_grad[1]:
        grad_others = grouped_matmul([a.t() for a in inputs], list(grads))
    return grad_inputs, grad_others


grouped_matmul.register_autograd(_grouped_backward, setup_context=_grouped_setup)


def register_matmul_kernels(registry) -> None:
    """Registers the kernels of ``segment_matmul`` and ``grouped_matmul``.

    Priorities come from a measurement (forward + backward, 20k rows, 64 x 64, uneven sizes, one
    CPU thread; ``bench/hetero.py`` repeats it): segments of ``_OWN_MM_ROWS`` rows or more run as
    their own ``mm`` in both kernels, so up to ~300 types the two tie within noise; with 1000
    types (20 rows each) the padded kernel took 0.7-0.8x the loop's time. It never lost beyond
    noise, so it outranks the reference.

    On CUDA in bf16 with a Hopper GPU, ``torch._grouped_mm`` (H100, torch 2.11, 65,536 rows,
    64 and 128 channels, forward) took 0.09-0.17 ms at 2 to 1000 types, where the loop took
    0.07-0.15 ms at 2 types, 0.25-0.32 ms at 10, 2.9 ms at 100 and 21-29 ms at 1000: it
    outranks both (the 0.01-0.02 ms it loses at 2 types is launch noise beside what it saves
    from 10 types up). Its gradients matched the float32 loop within bf16 rounding, unaligned
    sizes (20 -> 13) included.
    """
    registry.add("reference", "geode_core.ops.matmul:segment_matmul", op="segment_matmul",
                 device="any", dtypes=None, compile_safe=True, priority=0,
                 description="torch.ops.geode.segment_matmul: one mm per segment")
    registry.add("padded", "geode_core.ops.matmul:segment_matmul_padded", op="segment_matmul",
                 device="any", dtypes=None, compile_safe=True, priority=10,
                 description="torch.ops.geode.segment_matmul_padded: one bmm over padded segments")
    if (hasattr(torch, "_grouped_mm") and torch.cuda.is_available()
            and torch.cuda.get_device_capability() >= (9, 0)):
        registry.add("cuda_grouped", "geode_core.ops.matmul:segment_matmul_cuda_grouped",
                     op="segment_matmul", device="cuda", dtypes=(torch.bfloat16,), compile_safe=True,
                     priority=20, description="torch._grouped_mm: one grouped GEMM (Hopper, bf16)")
    registry.add("reference", "geode_core.ops.matmul:grouped_matmul", op="grouped_matmul",
                 device="any", dtypes=None, compile_safe=True, priority=0,
                 description="torch.ops.geode.grouped_matmul: one mm per group")


# -- entry points: the kernel the registry chooses -------------------------------------
def segment_mm(inputs: Tensor, ptr: Tensor, other: Tensor) -> Tensor:
    """``out[ptr[t]:ptr[t + 1]] = inputs[ptr[t]:ptr[t + 1]] @ other[t]`` for every type ``t``."""
    from .dispatch import kernel_for

    return kernel_for("segment_matmul", inputs)(inputs, ptr, other)


def grouped_mm(inputs: list[Tensor], others: list[Tensor]) -> list[Tensor]:
    """``[inputs[i] @ others[i] for i]`` by the kernel the registry chooses."""
    from .dispatch import kernel_for

    if not inputs:
        return []
    return kernel_for("grouped_matmul", inputs[0])(list(inputs), list(others))
