"""``Adjacency``: a graph's CSR (rows = destinations) and its transpose, built once."""

from __future__ import annotations

import weakref
from typing import Any

import torch
from torch import Tensor


def _compiling() -> bool:
    return torch.compiler.is_compiling()


def _check_edge_index(edge_index: Tensor) -> None:
    if not isinstance(edge_index, Tensor) or edge_index.dim() != 2 or edge_index.size(0) != 2:
        shape = tuple(edge_index.shape) if isinstance(edge_index, Tensor) else type(edge_index).__name__
        raise ValueError(f"edge_index must be a [2, num_edges] tensor, got {shape}")
    if edge_index.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"edge_index must be int64 or int32, got {edge_index.dtype}")


class Adjacency:
    """A graph sorted by destination: ``rowptr``/``col`` (source) with ``perm``, and the transpose.

    * ``rowptr`` [num_dst + 1], ``col`` [E] (source of each edge), ``row`` [E] (its
      destination), ``perm`` [E] (original edge id of each sorted position);
    * ``value`` [E] optional edge weights in sorted order;
    * ``rowptr_t``, ``col_t`` (destinations), ``perm_t`` (position in the sorted order): the
      CSR of the transposed graph (rows = sources), used by backward passes.

    ``edge_index`` and ``edge_weight`` keep the caller's original order. Build with
    :meth:`from_edge_index`; :meth:`cached` reuses one per edge_index tensor (keyed on the
    tensor object and its ``_version``).
    """

    def __init__(self, rowptr, col, row, perm, rowptr_t, col_t, perm_t, size, value=None,
                 edge_index=None, edge_weight=None):
        self.rowptr, self.col, self.row, self.perm = rowptr, col, row, perm
        self.rowptr_t, self.col_t, self.perm_t = rowptr_t, col_t, perm_t
        self.size = size  # (num_src, num_dst)
        self.value = value
        self.edge_index = edge_index
        self.edge_weight = edge_weight
        self._derived: dict[Any, Any] = {}

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_edge_index(cls, edge_index: Tensor, edge_weight: Tensor | None = None,
                        size: tuple[int, int] | int | None = None) -> Adjacency:
        """Build from ``edge_index`` ([2, E]; row 0 sources, row 1 destinations)."""
        _check_edge_index(edge_index)
        num_edges = edge_index.size(1)
        if isinstance(size, int):
            size = (size, size)
        if size is None:
            n = int(edge_index.max()) + 1 if num_edges > 0 else 0
            size = (n, n)
        num_src, num_dst = int(size[0]), int(size[1])
        if edge_weight is not None and (edge_weight.dim() != 1 or edge_weight.numel() != num_edges):
            raise ValueError(
                f"edge_weight must have shape [{num_edges}] (one per edge), got {tuple(edge_weight.shape)}"
            )
        edge_index = edge_index.long()
        src, dst = edge_index[0], edge_index[1]
        if not _compiling() and num_edges > 0:
            if int(src.min()) < 0 or int(src.max()) >= num_src:
                raise ValueError(f"edge_index[0] must lie in [0, {num_src}) (number of source nodes)")
            if int(dst.min()) < 0 or int(dst.max()) >= num_dst:
                raise ValueError(f"edge_index[1] must lie in [0, {num_dst}) (number of destination nodes)")
        dst_sorted, perm = torch.sort(dst, stable=True)
        col = src.index_select(0, perm)
        rowptr = torch.searchsorted(dst_sorted, torch.arange(num_dst + 1, device=dst.device))
        col_sorted_t, perm_t = torch.sort(col, stable=True)
        col_t = dst_sorted.index_select(0, perm_t)
        rowptr_t = torch.searchsorted(col_sorted_t, torch.arange(num_src + 1, device=dst.device))
        value = edge_weight.index_select(0, perm) if edge_weight is not None else None
        return cls(rowptr, col, dst_sorted, perm, rowptr_t, col_t, perm_t, (num_src, num_dst),
                   value, edge_index, edge_weight)

    @classmethod
    def cached(cls, edge_index: Tensor, edge_weight: Tensor | None = None,
               size: tuple[int, int] | int | None = None) -> Adjacency:
        """As :meth:`from_edge_index`, reusing the adjacency built for this very tensor."""
        if _compiling() or (edge_weight is not None and edge_weight.requires_grad):
            return cls.from_edge_index(edge_index, edge_weight, size)
        if isinstance(size, int):
            size = (size, size)
        key = (id(edge_index), None if edge_weight is None else id(edge_weight),
               None if size is None else (int(size[0]), int(size[1])))
        versions = (edge_index._version, None if edge_weight is None else edge_weight._version)
        hit = _CACHE.get(key)
        if hit is not None:
            ref, wref, ver, adj = hit
            if ref() is edge_index and (wref is None or wref() is edge_weight) and ver == versions:
                return adj
        adj = cls.from_edge_index(edge_index, edge_weight, size)
        ref = weakref.ref(edge_index, lambda _, cache=_CACHE, key=key: cache.pop(key, None))
        wref = None if edge_weight is None else weakref.ref(edge_weight)
        _CACHE[key] = (ref, wref, versions, adj)
        return adj

    # -- helpers --------------------------------------------------------------------
    @property
    def num_edges(self) -> int:
        return self.col.numel()

    def sorted_edge_index(self) -> Tensor:
        """``[2, E]`` edges in destination-sorted order."""
        return torch.stack([self.col, self.row])

    def derived(self, key: Any, build) -> Any:
        """Something computed from this graph once (e.g. a normalised copy), kept on it.

        Under ``torch.compile`` too: a traced miss stores its result (a side effect dynamo
        replays), so the next call recompiles once into a graph that reads the cache instead
        of rebuilding the derived graph on every step.
        """
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def with_value(self, value: Tensor | None) -> Adjacency:
        """The same structure with other edge weights (``value`` in the original edge order)."""
        sorted_value = None if value is None else value.index_select(0, self.perm)
        return Adjacency(self.rowptr, self.col, self.row, self.perm, self.rowptr_t, self.col_t,
                         self.perm_t, self.size, sorted_value, self.edge_index, value)

    def perm_inverse(self) -> Tensor:
        """For each original edge id, its position in the sorted order."""
        return self.derived("perm_inverse", lambda: torch.argsort(self.perm))

    def degree(self, dtype=torch.float) -> Tensor:
        """In-degree (number of incoming edges) of every destination."""
        return (self.rowptr[1:] - self.rowptr[:-1]).to(dtype)

    def __repr__(self) -> str:
        return (f"Adjacency(num_src={self.size[0]}, num_dst={self.size[1]}, "
                f"num_edges={self.num_edges}, weighted={self.value is not None})")


_CACHE: dict[Any, Any] = {}
