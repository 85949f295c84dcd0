"""Segment softmax."""

from __future__ import annotations

from torch import Tensor

from ._checks import infer_num_nodes
from .scatter import scatter


def softmax(src: Tensor, index: Tensor, num_nodes: int | None = None, dim: int = 0) -> Tensor:
    """Softmax of ``src`` over the groups given by ``index`` along ``dim``."""
    dim = dim + src.dim() if dim < 0 else dim
    n = infer_num_nodes(index.view(1, -1), num_nodes)
    seg_max = scatter(src.detach(), index, dim, n, "max")
    out = (src - seg_max.index_select(dim, index)).exp()
    denom = scatter(out, index, dim, n, "sum")
    return out / (denom.index_select(dim, index) + 1e-16)
