"""Registers geode-core's kernels for the ``geode`` ops.

Each op has a ``reference`` kernel (plain gather + scatter in :mod:`.reference`, priority 0)
and a ``fused`` kernel (the ``torch.ops.geode`` custom op, priority 10). Calling conventions
(what a plugin's kernel for the same op must accept):

* ``spmm_sum`` / ``spmm_mean`` / ``spmm_max`` / ``spmm_min``:
  ``(rowptr, col, row, value, rowptr_t, col_t, perm_t, value_t, x)``;
* ``segment_reduce``: ``(x, ptr, reduce)``; ``segment_softmax``: ``(src, ptr)``;
* ``scatter_reduce``: ``(src, index, dim_size, reduce)`` along dim 0;
* ``gather_scatter``: ``(x, gather_index, scatter_index, value, dim_size, reduce)``.
* ``scatter_sum``: ``(src, index, dim_size)`` along dim 0;
* ``segment_matmul``: ``(inputs, ptr, other)``; ``grouped_matmul``: ``(inputs, others)`` (lists).
"""

from __future__ import annotations

import importlib.util

import torch

#: op -> module holding its custom op
OPS = {
    "spmm_sum": "csr_spmm", "spmm_mean": "csr_spmm", "spmm_max": "csr_spmm", "spmm_min": "csr_spmm",
    "segment_reduce": "segment_ops", "segment_softmax": "segment_ops",
    "scatter_reduce": "scatter_ops", "gather_scatter": "scatter_ops",
}


def register_kernels(registry) -> None:
    from .matmul import register_matmul_kernels

    register_matmul_kernels(registry)
    for op, module in OPS.items():
        registry.add("fused", f"geode_core.ops.{module}:{op}", op=op, device="any", dtypes=None,
                     compile_safe=True, priority=10,
                     description=f"torch.ops.geode.{op}: CSR matmul / segment ops, no row per edge")
        registry.add("reference", f"geode_core.ops.reference:{op}", op=op, device="any",
                     dtypes=None, compile_safe=op != "segment_softmax", priority=0,
                     description="gather + scatter in plain torch (one row per edge)")
    # Triton over cuSPARSE, measured on an H100 (64 channels, one forward SpMM, median of 30):
    # 10k nodes / 200k edges 0.067 ms both; 1M / 20M edges 1.83 vs 2.61 ms. It never lost,
    # so it outranks the cuSPARSE path of ``fused`` wherever Triton imports.
    if torch.cuda.is_available() and importlib.util.find_spec("triton") is not None:
        for op in ("spmm_sum", "spmm_mean"):
            registry.add("triton", f"geode_core.ops.triton_spmm:{op}", op=op, device="cuda",
                         dtypes=(torch.float32, torch.float16, torch.bfloat16), compile_safe=True,
                         priority=20, description="Triton CSR SpMM: one program per destination row")
