"""CSR SpMM as ``geode`` custom ops: ``out[i] = reduce_{e: dst(e)=i} value[e] * x[col[e]]``.

The forward runs torch's sparse CSR matmul (MKL/native on CPU, cuSPARSE on CUDA), so no
row per edge is materialised; the backward of ``sum``/``mean`` is one matmul with the
transposed CSR the :class:`~geode_core.ops.Adjacency` keeps, and the edge-weight gradient a
sampled dense-dense product (SDDMM). ``max``/``min`` use torch's CSR reduction on CPU and
a gather + scatter elsewhere; their backward routes each output to the edges that attain it.
"""

from __future__ import annotations

import warnings
import weakref

import torch
from torch import Tensor

warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta state")

REDUCTIONS = ("sum", "mean", "max", "min")
#: dtypes whose CPU sparse addmm runs the BLAS kernel
_BLAS_DTYPES = (torch.float32, torch.float64)


def csr(rowptr: Tensor, col: Tensor, value: Tensor | None, num_cols: int, dtype) -> Tensor:
    """A torch sparse CSR matrix over the given structure (ones when ``value`` is None)."""
    if value is None:
        value = torch.ones(col.numel(), dtype=dtype, device=col.device)
    # contiguous: cuSPARSE reads the values as one dense array (a per-head column slice of
    # attention weights is strided, and gave wrong sums on CUDA)
    return torch.sparse_csr_tensor(rowptr, col, value.to(dtype).contiguous(),
                                   size=(rowptr.numel() - 1, num_cols),
                                   check_invariants=False)


#: int32 copies of index tensors, keyed on the tensor object (dropped with it) and its version
_INT32: dict[int, tuple] = {}


def _int32(index: Tensor) -> Tensor:
    """``index`` (entries below 2**31) as int32, which MKL's sparse kernels read: converted
    once per index tensor.

    torch converts int64 indices on every sparse addmm otherwise (~5% of a 64-channel SpMM
    of the seed graph); a graph's ``rowptr``/``col`` are the same tensors call after call.
    """
    if index.dtype == torch.int32 or index.is_inference():
        return index
    key = id(index)
    hit = _INT32.get(key)
    if hit is not None and hit[0]() is index and hit[1] == index._version:
        return hit[2]
    converted = index.to(torch.int32)
    _INT32[key] = (weakref.ref(index, lambda _, key=key: _INT32.pop(key, None)), index._version,
                   converted)
    return converted


def csr_rows(rowptr: Tensor, col: Tensor, value: Tensor | None, x: Tensor, reduce: str = "sum") -> Tensor:
    """``reduce`` (sum, max, min) over each CSR row of ``value * x[col]``; empty rows are zero."""
    num_rows = rowptr.numel() - 1
    flat = x.reshape(x.size(0), -1)
    if col.numel() == 0:
        out = flat.new_zeros(num_rows, flat.size(1))
    elif x.device.type == "cpu" and reduce == "sum" and x.dtype in _BLAS_DTYPES:
        # torch's sparse addmm (MKL where built with it) with beta=0 writes every output
        # row itself: no zero-fill, and ~15% faster than the reduction kernel below
        out = flat.new_empty(num_rows, flat.size(1))
        if max(col.numel(), x.size(0)) < 2**31:  # every rowptr and col entry fits in int32
            rowptr, col = _int32(rowptr), _int32(col)
        matrix = csr(rowptr, col, value, x.size(0), x.dtype)
        torch.addmm(out, matrix, flat, beta=0, out=out)
    elif x.device.type == "cpu":  # torch's CSR reduction kernel: one pass, no zero-fill + copy
        out = torch.sparse.mm(csr(rowptr, col, value, x.size(0), x.dtype), flat,
                              "sum" if reduce == "sum" else "a" + reduce)
    elif reduce == "sum":
        out = csr(rowptr, col, value, x.size(0), x.dtype) @ flat
    else:
        msg = flat.index_select(0, col)
        if value is not None:
            msg = msg * value.to(x.dtype).unsqueeze(-1)
        index = row_of(rowptr, col.numel()).unsqueeze(-1).expand_as(msg)
        out = flat.new_zeros(num_rows, flat.size(1)).scatter_reduce_(0, index, msg, "a" + reduce,
                                                                      include_self=False)
    return out if x.dim() == 2 else out.reshape(num_rows, *x.shape[1:])


@torch.library.custom_op("geode::csr_matmul", mutates_args=())
def csr_matmul(rowptr: Tensor, col: Tensor, value: Tensor | None, x: Tensor, reduce: str = "sum") -> Tensor:
    """:func:`csr_rows` as an op without autograd (the differentiable ops' backwards call it)."""
    return csr_rows(rowptr, col, value, x, reduce)


@csr_matmul.register_fake
def _(rowptr, col, value, x, reduce="sum"):
    return x.new_empty((rowptr.shape[0] - 1, *x.shape[1:]))


def row_of(rowptr: Tensor, num_edges: int) -> Tensor:
    """The row of every CSR entry."""
    counts = rowptr[1:] - rowptr[:-1]
    return torch.repeat_interleave(torch.arange(counts.numel(), device=rowptr.device), counts,
                                   output_size=num_edges)


def mean_value(rowptr: Tensor, row: Tensor, value: Tensor | None, dtype) -> Tensor:
    """Edge weights divided by their row's number of entries."""
    deg = (rowptr[1:] - rowptr[:-1]).clamp(min=1).to(dtype)
    scale = deg.reciprocal().index_select(0, row)
    return scale if value is None else value.to(dtype) * scale


#: edges gathered at once where the sampled product cannot run (more entries than cells)
_SDDMM_CHUNK = 1 << 16


@torch.library.custom_op("geode::sddmm", mutates_args=())
def sddmm(rowptr: Tensor, col: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """``(a[row(e)] * b[col(e)]).sum()`` per CSR entry (no autograd).

    torch's sampled product, which materialises no rows; it rejects more entries than the
    matrix has cells (a tiny graph that repeats edges, e.g. a one-node type), so such a
    graph is gathered in chunks of ``_SDDMM_CHUNK`` edges instead.
    """
    a = a.reshape(a.size(0), -1)
    b = b.reshape(b.size(0), -1)
    if col.numel() == 0:
        return a.new_zeros(0)
    if col.numel() > a.size(0) * b.size(0):
        row = row_of(rowptr, col.numel())
        out = a.new_empty(col.numel())
        for start in range(0, col.numel(), _SDDMM_CHUNK):
            part = slice(start, start + _SDDMM_CHUNK)
            torch.sum(a.index_select(0, row[part]) * b.index_select(0, col[part]), -1, out=out[part])
        return out
    pattern = csr(rowptr, col, a.new_zeros(col.numel()), b.size(0), a.dtype)
    return torch.sparse.sampled_addmm(pattern, a, b.t(), beta=0.0).values()


@sddmm.register_fake
def _(rowptr, col, a, b):
    return a.new_empty(col.shape)


def _spmm(name: str, reduce: str, rows):
    def impl(rowptr: Tensor, col: Tensor, row: Tensor, value: Tensor | None, rowptr_t: Tensor,
             col_t: Tensor, perm_t: Tensor, value_t: Tensor | None, x: Tensor) -> Tensor:
        if reduce == "mean":
            return rows(rowptr, col, mean_value(rowptr, row, value, x.dtype), x)
        return rows(rowptr, col, value, x) if reduce == "sum" else rows(rowptr, col, value, x, reduce)

    impl.__name__ = name
    impl.__doc__ = (f"``{reduce}`` over each destination ``i`` of ``value[e] * x[col[e]]`` "
                    "(destination-sorted CSR; ``rowptr_t``/``col_t``/``perm_t`` its transpose and "
                    "``value_t`` the weights in that order, ``value[perm_t]`` when None, used by the "
                    "backward); destinations without edges are zero.")
    return impl


def _fake(rowptr, col, row, value, rowptr_t, col_t, perm_t, value_t, x):
    return x.new_empty((rowptr.shape[0] - 1, *x.shape[1:]))


def _setup(ctx, inputs, output):
    ctx.save_for_backward(*inputs)


def _setup_extreme(ctx, inputs, output):
    ctx.save_for_backward(*inputs, output)


def _linear_backward(mean: bool, matmul):
    def backward(ctx, grad):
        rowptr, col, row, value, rowptr_t, col_t, perm_t, value_t, x = ctx.saved_tensors
        grad_x = grad_value = None
        if ctx.needs_input_grad[8]:
            if value_t is None and value is not None:
                value_t = value.index_select(0, perm_t)
            if mean:  # the transposed graph's rows are sources; row[perm_t] is col_t
                value_t = mean_value(rowptr, col_t, value_t, grad.dtype)
            grad_x = matmul(rowptr_t, col_t, value_t, grad)
        if value is not None and ctx.needs_input_grad[3]:
            grad_value = sddmm(rowptr, col, grad, x)
            if mean:
                grad_value = grad_value * mean_value(rowptr, row, None, grad.dtype)
        return None, None, None, grad_value, None, None, None, None, grad_x

    return backward


def extreme_grads(row: Tensor, col: Tensor, value: Tensor | None, x: Tensor, out: Tensor,
                  grad: Tensor, need_x: bool, need_value: bool, num_src: int):
    """Gradients of a max/min SpMM: each output goes to the edges attaining it, split among ties.

    Materialises one row per edge (backward of the non-linear reductions only).
    """
    flat_out, flat_grad = out.reshape(out.size(0), -1), grad.reshape(grad.size(0), -1)
    x_j = x.reshape(x.size(0), -1).index_select(0, col)
    msg = x_j if value is None else x_j * value.unsqueeze(-1)
    hit = (msg == flat_out.index_select(0, row)).to(grad.dtype)
    ties = flat_out.new_zeros(flat_out.shape).index_add_(0, row, hit).clamp(min=1)
    grad_msg = hit * (flat_grad / ties).index_select(0, row)
    grad_x = grad_value = None
    if need_x:
        scaled = grad_msg if value is None else grad_msg * value.unsqueeze(-1)
        grad_x = x.new_zeros(num_src, x_j.size(1)).index_add_(0, col, scaled).reshape(num_src, *x.shape[1:])
    if value is not None and need_value:
        grad_value = (grad_msg * x_j).sum(-1)
    return grad_x, grad_value


def _extreme_backward(ctx, grad):
    _, col, row, value, _, _, _, _, x, out = ctx.saved_tensors
    grad_x, grad_value = extreme_grads(row, col, value, x, out, grad, ctx.needs_input_grad[8],
                                       ctx.needs_input_grad[3], x.size(0))
    return None, None, None, grad_value, None, None, None, None, grad_x


def define_spmm(name: str, reduce: str, rows=csr_rows, matmul=csr_matmul):
    """The differentiable op ``geode::<name>``: ``rows`` computes the forward (a plain
    function over concrete tensors), ``matmul`` (an op, traceable by AOTAutograd) the
    backward of ``sum``/``mean``. Kernels for other hardware define their ops through this."""
    op = torch.library.custom_op(f"geode::{name}", mutates_args=())(_spmm(name, reduce, rows))
    op.register_fake(_fake)
    if reduce in ("max", "min"):
        op.register_autograd(_extreme_backward, setup_context=_setup_extreme)
    else:
        op.register_autograd(_linear_backward(reduce == "mean", matmul), setup_context=_setup)
    return op


spmm_sum = define_spmm("spmm_sum", "sum")
spmm_mean = define_spmm("spmm_mean", "mean")
spmm_max = define_spmm("spmm_max", "max")
spmm_min = define_spmm("spmm_min", "min")
