"""Compressed adjacency (CSR / CSC) built from an ``edge_index`` with vectorised ops.

``to_csc`` groups edges by destination: ``col[rowptr[v]:rowptr[v + 1]]`` are the sources of
the edges *into* ``v`` (its incoming neighbours), which is what message passing and
neighbour sampling need. ``to_csr`` groups by source (outgoing neighbours). Both keep the
permutation ``e_id``: position ``i`` of the compressed arrays is edge ``e_id[i]`` of the
input, so per-edge data (weights, times, features) can be gathered in compressed order.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = ["CompressedGraph", "to_csc", "to_csr"]


@dataclass(frozen=True)
class CompressedGraph:
    """``rowptr`` (``num_nodes + 1``), ``col`` (``num_edges``) and the edge permutation ``e_id``.

    ``by`` says what the rows are: ``"dst"`` (CSC: ``col`` holds sources) or ``"src"``
    (CSR: ``col`` holds destinations).
    """

    rowptr: Tensor
    col: Tensor
    e_id: Tensor
    num_nodes: int
    by: str

    @property
    def num_edges(self) -> int:
        return int(self.col.numel())

    def degree(self) -> Tensor:
        """Number of entries per row (in-degree for CSC, out-degree for CSR)."""
        return self.rowptr[1:] - self.rowptr[:-1]


def _check(edge_index: Tensor, num_nodes: int | None) -> int:
    if not isinstance(edge_index, Tensor):
        raise TypeError(f"edge_index must be a torch.Tensor, got {type(edge_index).__name__}")
    if edge_index.dim() != 2 or edge_index.size(0) != 2:
        raise ValueError(f"edge_index must have shape [2, num_edges], got {list(edge_index.shape)}")
    if edge_index.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"edge_index must be int64 or int32, got {edge_index.dtype}")
    if num_nodes is None:
        num_nodes = int(edge_index.max()) + 1 if edge_index.numel() else 0
    if num_nodes < 0:
        raise ValueError(f"num_nodes must be >= 0, got {num_nodes}")
    if edge_index.numel():
        lo, hi = int(edge_index.min()), int(edge_index.max())
        if lo < 0 or hi >= num_nodes:
            raise ValueError(
                f"edge_index values must lie in [0, num_nodes={num_nodes}), got range [{lo}, {hi}]"
            )
    return num_nodes


def _compress(key: Tensor, other: Tensor, num_nodes: int, by: str) -> CompressedGraph:
    # A stable sort keeps the input order of edges within a row: deterministic output.
    perm = torch.argsort(key, stable=True)
    counts = torch.bincount(key, minlength=num_nodes)
    rowptr = torch.zeros(num_nodes + 1, dtype=torch.long)
    torch.cumsum(counts, dim=0, out=rowptr[1:])
    return CompressedGraph(rowptr, other[perm].long(), perm, num_nodes, by)


def to_csc(edge_index: Tensor, num_nodes: int | None = None) -> CompressedGraph:
    """Group edges by destination: row ``v`` lists the sources of edges ``u -> v``."""
    num_nodes = _check(edge_index, num_nodes)
    return _compress(edge_index[1].long(), edge_index[0], num_nodes, "dst")


def to_csr(edge_index: Tensor, num_nodes: int | None = None) -> CompressedGraph:
    """Group edges by source: row ``u`` lists the destinations of edges ``u -> v``."""
    num_nodes = _check(edge_index, num_nodes)
    return _compress(edge_index[0].long(), edge_index[1], num_nodes, "src")
