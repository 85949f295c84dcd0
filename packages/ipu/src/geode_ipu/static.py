"""Static-shape discipline: refuse data-dependent sizes, and give aggregations a fixed one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

from geode_core.nn.aggr import Aggregation
from geode_core.utils.static import StaticShapeError, set_static_shapes, static_shapes_enabled

__all__ = ["static_shapes", "set_aggregation_dim_size", "StaticShapeError", "static_shapes_enabled"]


@contextmanager
def static_shapes(enabled: bool = True) -> Iterator[None]:
    """Inside this block, every aggregation, scatter, pooling, norm and ``to_dense_batch``
    call that would infer a size from the data raises :class:`StaticShapeError` naming the
    argument to pass (``dim_size``, ``size``, ``batch_size``, ``max_num_nodes``)."""
    previous = set_static_shapes(enabled)
    try:
        yield
    finally:
        set_static_shapes(previous)


def set_aggregation_dim_size(model: torch.nn.Module, dim_size: int) -> int:
    """Give every aggregation inside ``model`` the output size ``dim_size`` when a call
    leaves it out (a global pooling over a fixed number of graphs, for example).

    Returns how many aggregation modules were set. Calls that pass ``dim_size`` keep theirs.
    """
    if isinstance(dim_size, bool) or not isinstance(dim_size, int) or dim_size < 0:
        raise ValueError(f"set_aggregation_dim_size: dim_size must be an int >= 0, got {dim_size!r}")
    count = 0
    for module in model.modules():
        if isinstance(module, Aggregation):
            module.fixed_dim_size = dim_size
            count += 1
    return count
