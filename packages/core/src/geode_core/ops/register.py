"""Registers geode-core's kernels for the ``geode`` ops.

Kernel calling conventions (what a plugin's kernel for the same op must accept):

* ``spmm_sum`` / ``spmm_mean``: ``(rowptr, col, row, value, rowptr_t, col_t, perm_t, x)``;
* ``segment_reduce``: ``(x, ptr, reduce)``; ``segment_softmax``: ``(src, ptr)``;
* ``scatter_sum``: ``(src, index, dim_size)`` along dim 0;
* ``segment_matmul``: ``(inputs, ptr, other)``; ``grouped_matmul``: ``(inputs, others)`` (lists).
"""

from __future__ import annotations


def _scatter_sum(src, index, dim_size):
    from geode_core.utils.scatter import scatter

    return scatter(src, index, dim=0, dim_size=dim_size, reduce="sum")


def register_kernels(registry) -> None:
    from .matmul import register_matmul_kernels

    register_matmul_kernels(registry)
    for op in ("spmm_sum", "spmm_mean", "segment_reduce", "segment_softmax"):
        registry.add("reference", f"geode_core.ops.custom:{op}", op=op, device="any",
                     dtypes=None, compile_safe=True, priority=0,
                     description=f"torch.ops.geode.{op}: torch sparse CSR / segment ops")
    registry.add("reference", _scatter_sum, op="scatter_sum", device="any", dtypes=None,
                 compile_safe=True, priority=0, description="index_add based scatter sum")
