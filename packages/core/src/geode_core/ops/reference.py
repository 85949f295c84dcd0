"""Reference implementations of the ``geode`` ops: plain gather + scatter, differentiated by torch.

Obviously correct and slow (one row per edge); registered as the ``reference`` kernel of
every op so tests can check each faster kernel against them, and so an op always runs.
"""

from __future__ import annotations

import torch
from torch import Tensor


def scatter_reduce(src: Tensor, index: Tensor, dim_size: int, reduce: str) -> Tensor:
    shape = (dim_size, *src.shape[1:])
    expanded = index.view(-1, *([1] * (src.dim() - 1))).expand_as(src)
    if reduce in ("sum", "mean"):
        out = src.new_zeros(shape).scatter_add(0, expanded, src)
        if reduce == "mean":
            count = torch.zeros(dim_size, dtype=src.dtype, device=src.device).scatter_add(
                0, index, torch.ones_like(index, dtype=src.dtype))
            out = out / count.clamp(min=1).view(-1, *([1] * (src.dim() - 1)))
        return out
    op = {"min": "amin", "max": "amax", "mul": "prod"}[reduce]
    return src.new_zeros(shape).scatter_reduce(0, expanded, src, op, include_self=False)


def gather_scatter(x: Tensor, gather_index: Tensor, scatter_index: Tensor, value: Tensor | None,
                   dim_size: int, reduce: str) -> Tensor:
    msg = x.index_select(0, gather_index)
    if value is not None:
        msg = msg * value.to(x.dtype).view(-1, *([1] * (x.dim() - 1)))
    return scatter_reduce(msg, scatter_index, dim_size, reduce)


def _spmm(reduce: str):
    def spmm(rowptr, col, row, value, rowptr_t, col_t, perm_t, value_t, x):
        return gather_scatter(x, col, row, value, rowptr.numel() - 1, reduce)

    spmm.__name__ = f"spmm_{reduce}"
    return spmm


spmm_sum, spmm_mean, spmm_max, spmm_min = (_spmm(r) for r in ("sum", "mean", "max", "min"))


def segment_reduce(x: Tensor, ptr: Tensor, reduce: str) -> Tensor:
    counts = ptr[1:] - ptr[:-1]
    index = torch.repeat_interleave(torch.arange(counts.numel(), device=ptr.device), counts,
                                    output_size=x.size(0))
    return scatter_reduce(x, index, counts.numel(), reduce)


def segment_softmax(src: Tensor, ptr: Tensor) -> Tensor:
    parts = [torch.softmax(src[int(ptr[i]):int(ptr[i + 1])], dim=0) for i in range(ptr.numel() - 1)]
    return torch.cat(parts) if parts else src.clone()
