"""Global pooling: one vector per graph from the nodes of each graph of ``batch``."""

from __future__ import annotations

from torch import Tensor

from geode_core.utils.scatter import scatter


def _pool(x: Tensor, batch: Tensor | None, size: int | None, reduce: str) -> Tensor:
    dim = -2 if x.dim() > 1 else 0
    if batch is None:
        if reduce == "sum":
            return x.sum(dim, keepdim=True)
        if reduce == "mean":
            return x.mean(dim, keepdim=True)
        return x.amax(dim, keepdim=True)
    if batch.dim() != 1 or batch.numel() != x.size(dim):
        raise ValueError(f"batch must be 1-D with one entry per node ({x.size(dim)}), "
                         f"got shape {tuple(batch.shape)}")
    return scatter(x, batch, dim=dim, dim_size=size, reduce=reduce)


def global_add_pool(x: Tensor, batch: Tensor | None, size: int | None = None) -> Tensor:
    """Sum of each graph's node features: ``[num_graphs, C]``; ``size`` (graphs) avoids a sync."""
    return _pool(x, batch, size, "sum")


def global_mean_pool(x: Tensor, batch: Tensor | None, size: int | None = None) -> Tensor:
    """Mean of each graph's node features (0 for a graph without nodes)."""
    return _pool(x, batch, size, "mean")


def global_max_pool(x: Tensor, batch: Tensor | None, size: int | None = None) -> Tensor:
    """Channel-wise maximum of each graph's node features (0 for a graph without nodes)."""
    return _pool(x, batch, size, "max")
