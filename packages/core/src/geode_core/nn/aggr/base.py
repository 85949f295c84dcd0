"""The aggregation base class: reduce a set of messages per destination."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.utils import static
from geode_core.utils.scatter import scatter


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
        """A basic reduction (sum, mean, min, max, mul) over ``index`` or ``ptr``."""
        if index is None and ptr is None:
            raise ValueError(f"{type(self).__name__}: give index or ptr")
        if index is None:
            counts = ptr[1:] - ptr[:-1]
            index = torch.repeat_interleave(torch.arange(counts.numel(), device=ptr.device), counts,
                                            output_size=x.size(dim))
            dim_size = counts.numel() if dim_size is None else dim_size
        return scatter(x, index, dim=dim, dim_size=dim_size, reduce=reduce)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
