"""Graph Laplacians as sparse edge lists."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes
from .graph import add_self_loops, remove_self_loops
from .scatter import scatter

NORMALIZATIONS = (None, "sym", "rw")


def get_laplacian(edge_index: Tensor, edge_weight: Tensor | None = None,
                  normalization: str | None = None, dtype: torch.dtype | None = None,
                  num_nodes: int | None = None) -> tuple[Tensor, Tensor]:
    """The Laplacian of a graph as ``(edge_index, edge_weight)``; self loops are ignored.

    With degrees ``D`` summed over the source row of every edge:

    * ``None``: ``L = D - A``
    * ``'sym'``: ``L = I - D^-1/2 A D^-1/2``
    * ``'rw'``: ``L = I - D^-1 A``

    The output lists the off-diagonal entries in input order, then one diagonal entry per
    node. Nodes of degree 0 get a diagonal of 0 (``None``) or 1 (``'sym'``, ``'rw'``).
    """
    check_edge_index(edge_index)
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"get_laplacian: normalization must be one of {NORMALIZATIONS}, got "
                         f"{normalization!r}")
    n = infer_num_nodes(edge_index, num_nodes)
    if edge_weight is None:
        edge_weight = torch.ones(edge_index.size(1), dtype=dtype or torch.get_default_dtype(),
                                 device=edge_index.device)
    elif edge_weight.shape != (edge_index.size(1),):
        raise ValueError(f"get_laplacian: edge_weight must have shape [{edge_index.size(1)}], "
                         f"got {list(edge_weight.shape)}")
    elif dtype is not None:
        edge_weight = edge_weight.to(dtype)
    edge_index, edge_weight = remove_self_loops(edge_index, edge_weight)
    row, col = edge_index
    deg = scatter(edge_weight, row, 0, n, "sum")
    if normalization is None:
        return add_self_loops(edge_index, -edge_weight, deg, n)
    if normalization == "sym":
        inv_sqrt = deg.pow(-0.5).masked_fill(deg == 0, 0.0)
        weight = -inv_sqrt[row] * edge_weight * inv_sqrt[col]
    else:
        weight = -deg.reciprocal().masked_fill(deg == 0, 0.0)[row] * edge_weight
    return add_self_loops(edge_index, weight, 1.0, n)
