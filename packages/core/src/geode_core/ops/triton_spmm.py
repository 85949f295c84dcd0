"""CSR SpMM for CUDA written in Triton: the ``triton`` kernel of ``spmm_sum`` and ``spmm_mean``.

One program reduces one destination row (all its edges, one block of channels): it reads the
row's slice of ``col`` and ``value``, gathers those source rows of ``x`` and accumulates them
in float32 registers (float64 for float64 input), so no row per edge is materialised and nothing is written twice. The
backward runs the same kernel over the transposed CSR that the
:class:`~geode_core.ops.Adjacency` keeps. The op is a ``torch.library.triton_op``, so
``torch.compile`` sees the kernel itself and launches it from its generated code, inside
CUDA graphs too. Registered only where Triton imports (CUDA builds of torch ship it).
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl
from torch import Tensor
from torch.library import triton_op, wrap_triton

from .csr_spmm import define_spmm

#: edges gathered per loop step; destinations of a few dozen edges take one or two steps
_BLOCK_EDGES = 32
#: widest channel block one program handles (wider features use several programs per row)
_MAX_BLOCK_CHANNELS = 128


@triton.jit
def _csr_rows_kernel(rowptr, col, value, x, out, channels, x_row_stride, x_col_stride,
                     HAS_VALUE: tl.constexpr,
                     BLOCK_EDGES: tl.constexpr, BLOCK_CHANNELS: tl.constexpr, ACC: tl.constexpr):
    row = tl.program_id(0)
    offs_c = tl.program_id(1) * BLOCK_CHANNELS + tl.arange(0, BLOCK_CHANNELS)
    in_c = offs_c < channels
    first = tl.load(rowptr + row)
    end = tl.load(rowptr + row + 1)
    acc = tl.zeros([BLOCK_CHANNELS], dtype=ACC)
    while first < end:
        edges = first + tl.arange(0, BLOCK_EDGES)
        in_e = edges < end
        src = tl.load(col + edges, mask=in_e, other=0)
        rows = tl.load(x + src[:, None] * x_row_stride + offs_c[None, :] * x_col_stride,
                       mask=in_e[:, None] & in_c[None, :], other=0.0).to(ACC)
        if HAS_VALUE:
            weight = tl.load(value + edges, mask=in_e, other=0.0).to(ACC)
            rows = rows * weight[:, None]
        acc += tl.sum(rows, axis=0)
        first += BLOCK_EDGES
    tl.store(out + row.to(tl.int64) * channels + offs_c, acc.to(out.dtype.element_ty), mask=in_c)


def triton_rows(rowptr: Tensor, col: Tensor, value: Tensor | None, x: Tensor,
                traceable: bool = False) -> Tensor:
    """``out[i] = sum_{e in row i} value[e] * x[col[e]]`` by the Triton kernel (empty rows are 0).

    ``traceable`` launches through ``wrap_triton`` (needed inside the ``triton_op``, where
    compile traces the launch); eagerly that wrapper costs ~0.4 ms a call, so the kernel is
    launched directly otherwise.
    """
    flat = x.reshape(x.size(0), -1)  # strided rows are read in place (a transposed gradient)
    num_rows, channels = rowptr.numel() - 1, flat.size(1)
    out = flat.new_empty((num_rows, channels))
    if num_rows and channels:
        block = min(triton.next_power_of_2(channels), _MAX_BLOCK_CHANNELS)
        weights = col if value is None else value.to(flat.dtype).contiguous()  # unread when None
        kernel = wrap_triton(_csr_rows_kernel) if traceable else _csr_rows_kernel
        kernel[(num_rows, triton.cdiv(channels, block))](
            rowptr, col, weights, flat, out, channels, flat.stride(0), flat.stride(1),
            HAS_VALUE=value is not None,
            BLOCK_EDGES=_BLOCK_EDGES, BLOCK_CHANNELS=block,
            ACC=tl.float64 if flat.dtype == torch.float64 else tl.float32, num_warps=2)
    return out if x.dim() == 2 else out.reshape(num_rows, *x.shape[1:])


@triton_op("geode::triton_csr_matmul", mutates_args=())
def triton_csr_matmul(rowptr: Tensor, col: Tensor, value: Tensor | None, x: Tensor) -> Tensor:
    """:func:`triton_rows` as an op without autograd, for the backward (traceable by compile)."""
    return triton_rows(rowptr, col, value, x, traceable=True)


spmm_sum = define_spmm("triton_spmm_sum", "sum", rows=triton_rows, matmul=triton_csr_matmul)
spmm_mean = define_spmm("triton_spmm_mean", "mean", rows=triton_rows, matmul=triton_csr_matmul)
