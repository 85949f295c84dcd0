"""Normalise the graph argument of a layer: ``edge_index``, an Adjacency or a torch sparse tensor.

A torch sparse tensor (CSR, CSC or COO) is read as PyG reads it: the *transposed*
adjacency ``adj_t`` of shape ``[num_dst, num_src]`` (row = destination, column = source),
its values the edge weights. It becomes an :class:`~geode_core.ops.Adjacency` built once
per tensor object.
"""

from __future__ import annotations

import weakref
from typing import Any

import torch
from torch import Tensor

from geode_core.ops import Adjacency

_SPARSE_LAYOUTS = (torch.sparse_csr, torch.sparse_csc, torch.sparse_coo)
_CACHE: dict[int, tuple[Any, Adjacency]] = {}


def is_torch_sparse(value: Any) -> bool:
    """True for a torch sparse CSR, CSC or COO tensor."""
    return isinstance(value, Tensor) and value.layout in _SPARSE_LAYOUTS


def sparse_to_edge_index(adj_t: Tensor) -> tuple[Tensor, Tensor, tuple[int, int]]:
    """``(edge_index, edge_weight, (num_src, num_dst))`` of a transposed sparse adjacency."""
    if adj_t.dim() != 2:
        raise ValueError(f"a sparse adjacency must be 2-D [num_dst, num_src], got {adj_t.dim()}-D")
    num_dst, num_src = int(adj_t.size(0)), int(adj_t.size(1))
    if adj_t.layout == torch.sparse_csr:
        dst = torch.repeat_interleave(torch.arange(num_dst, device=adj_t.device),
                                      adj_t.crow_indices().diff(), output_size=adj_t._nnz())
        src = adj_t.col_indices()
    elif adj_t.layout == torch.sparse_csc:
        src = torch.repeat_interleave(torch.arange(num_src, device=adj_t.device),
                                      adj_t.ccol_indices().diff(), output_size=adj_t._nnz())
        dst = adj_t.row_indices()
    else:
        adj_t = adj_t.coalesce()
        dst, src = adj_t.indices()
    edge_index = torch.stack([src.long(), dst.long()])
    return edge_index, adj_t.values(), (num_src, num_dst)


def adjacency_of_sparse(adj_t: Tensor) -> Adjacency:
    """The :class:`Adjacency` of a transposed sparse adjacency, cached per tensor object."""
    hit = _CACHE.get(id(adj_t))
    if hit is not None and hit[0]() is adj_t and not torch.compiler.is_compiling():
        return hit[1]
    edge_index, weight, size = sparse_to_edge_index(adj_t)
    adj = Adjacency.from_edge_index(edge_index, weight, size)
    if not torch.compiler.is_compiling():
        key = id(adj_t)
        _CACHE[key] = (weakref.ref(adj_t, lambda _, key=key: _CACHE.pop(key, None)), adj)
    return adj


def as_graph(edge_index: Any, flow: str = "source_to_target") -> Tensor | Adjacency:
    """``edge_index`` unchanged (a tensor or Adjacency), or a torch sparse tensor as an Adjacency."""
    if is_torch_sparse(edge_index):
        if flow != "source_to_target":
            raise ValueError("a torch sparse adjacency (adj_t) fixes the direction itself; "
                             f"flow must be 'source_to_target', got {flow!r}")
        return adjacency_of_sparse(edge_index)
    if not isinstance(edge_index, (Tensor, Adjacency)):
        raise TypeError("edge_index must be a [2, E] tensor, an Adjacency or a torch sparse "
                        f"tensor, got {type(edge_index).__name__}")
    return edge_index


__all__ = ["adjacency_of_sparse", "as_graph", "is_torch_sparse", "sparse_to_edge_index"]
