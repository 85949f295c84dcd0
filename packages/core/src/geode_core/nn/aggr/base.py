"""The aggregation base class: reduce a set of messages per destination."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import scatter_reduce, segment
from geode_core.utils import static


def prepare(name: str, x: Tensor, index: Tensor | None, ptr: Tensor | None,
            dim_size: int | None, dim: int) -> tuple[Tensor, int, int]:
    """``(index, dim_size, dim)`` from either ``index`` or ``ptr``, ``dim`` made non-negative.

    Shared by every aggregation (here and in plugins): validates the arguments, naming
    ``name`` in errors, and expands ``ptr`` into an index when only pointers are given.
    """
    dim = check_dim(name, x, dim)
    if index is None and ptr is None:
        raise ValueError(f"{name}: give index or ptr")
    if index is None:
        check_ptr(name, ptr)
        counts = ptr[1:] - ptr[:-1]
        index = torch.repeat_interleave(torch.arange(counts.numel(), device=ptr.device), counts,
                                        output_size=x.size(dim))
        return index, counts.numel() if dim_size is None else dim_size, dim
    if index.dim() != 1:
        raise ValueError(f"{name}: index must be 1-D, got shape {tuple(index.shape)}")
    if index.dtype not in (torch.int64, torch.int32):
        raise ValueError(f"{name}: index must be int64 or int32, got {index.dtype}")
    if index.numel() != x.size(dim):
        raise ValueError(f"{name}: index has {index.numel()} entries but x has {x.size(dim)} "
                         f"rows along dim {dim}")
    if dim_size is None:
        dim_size = int(index.max()) + 1 if index.numel() > 0 else 0
    return index.long(), dim_size, dim


def _product(x: Tensor, index: Tensor, dim_size: int, dim: int) -> Tensor:
    """Per-destination products by torch's scatter (its own backward, which beats a custom one).

    Started from ones (torch's cheaper ``include_self`` product); empty destinations set to 0.
    """
    view = [1] * x.dim()
    view[dim] = -1
    shape = list(x.shape)
    shape[dim] = dim_size
    out = x.new_ones(shape).scatter_reduce(dim, index.view(view).expand_as(x), x, "prod")
    filled = torch.zeros(dim_size, dtype=torch.bool, device=x.device).index_fill_(0, index, True)
    return torch.where(filled.view(view), out, torch.zeros((), dtype=x.dtype, device=x.device))


def check_dim(name: str, x: Tensor, dim: int) -> int:
    """``dim`` made non-negative, or a ValueError naming ``name``."""
    if x.dim() == 0:
        raise ValueError(f"{name}: x must have at least one dimension, got a scalar")
    dim = dim + x.dim() if dim < 0 else dim
    if not 0 <= dim < x.dim():
        raise ValueError(f"{name}: dim={dim} is out of range for x of shape {tuple(x.shape)}")
    return dim


def check_ptr(name: str, ptr: Tensor) -> None:
    if ptr.dim() != 1 or ptr.numel() < 1:
        raise ValueError(f"{name}: ptr must be 1-D with at least one entry, got shape {tuple(ptr.shape)}")


class Aggregation(torch.nn.Module):
    """Reduces the rows of ``x`` that share a destination (given by ``index`` or ``ptr``).

    Subclasses implement :meth:`forward` with the signature below and may call
    :meth:`reduce`. ``index`` assigns every row its destination; ``ptr`` gives CSR
    boundaries of rows already sorted by destination. ``dim_size`` is the number of
    destinations (pass it to avoid a device sync).
    """

    #: True when the result depends on the order of rows within a destination.
    requires_sorted_index: bool = False

    #: ``dim_size`` used when a call passes none (set by ``geode_ipu.set_aggregation_dim_size``).
    fixed_dim_size: int | None = None

    def __call__(self, *args, **kwargs):
        if self.fixed_dim_size is not None or static.static_shapes_enabled():
            positional = len(args) > 3
            dim_size = args[3] if positional else kwargs.get("dim_size")
            if dim_size is None and self.fixed_dim_size is not None:
                dim_size = self.fixed_dim_size
                if positional:
                    args = (*args[:3], dim_size, *args[4:])
                else:
                    kwargs["dim_size"] = dim_size
            if kwargs.get("index", args[1] if len(args) > 1 else None) is not None:
                static.require_size(type(self).__name__, "dim_size", dim_size)
        return super().__call__(*args, **kwargs)

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def reduce(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
               dim_size: int | None = None, dim: int = -2, reduce: str = "sum") -> Tensor:
        """A basic reduction (sum, mean, min, max, mul) over ``index`` or ``ptr``.

        Sum/mean/min/max run the ``geode`` segment op on ``ptr`` and the scatter op on
        ``index`` (CSR matmuls on CPU, no atomics); ``mul`` runs torch's scatter product.
        """
        name = type(self).__name__
        dim = check_dim(name, x, dim)
        if reduce == "mul":
            index, dim_size, dim = prepare(name, x, index, ptr, dim_size, dim)
            return _product(x, index, dim_size, dim)
        moved = x.movedim(dim, 0) if dim != 0 else x
        if ptr is not None and (dim_size is None or dim_size == ptr.numel() - 1):
            check_ptr(name, ptr)
            if not torch.compiler.is_compiling() and int(ptr[-1]) != moved.size(0):
                raise ValueError(f"{name}: ptr must end at the number of rows ({moved.size(0)}), "
                                 f"got {int(ptr[-1])}")
            out = segment(moved, ptr.long(), reduce)
        else:
            index, dim_size, _ = prepare(name, x, index, ptr, dim_size, dim)
            out = scatter_reduce(moved, index, dim_size, reduce)
        return out.movedim(0, dim) if dim != 0 else out

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def reset_parameters(self) -> None:
        """Reset every submodule that can (the networks of learnable aggregations)."""
        for module in self.modules():
            if module is not self and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def get_out_channels(self, in_channels: int) -> int:
        """The feature size of the result for inputs of ``in_channels`` features."""
        return in_channels
