"""``GraphStore``: the interface every graph-structure backend implements.

An edge set is addressed by an :class:`EdgeAttr` ``(edge_type, layout, is_sorted, size)``:
``edge_type`` is ``(src, rel, dst)`` (``None`` for a homogeneous graph), ``layout`` one of
:class:`EdgeLayout` and ``size`` ``(num_src_nodes, num_dst_nodes)``. The edge index itself
is a pair of 1-D int64 tensors whose meaning depends on the layout:

* ``COO``: ``(row, col)``, one entry per edge ``row[i] -> col[i]``;
* ``CSR``: ``(rowptr, col)``, edges grouped by source, ``rowptr`` of ``num_src + 1``;
* ``CSC``: ``(row, colptr)``, edges grouped by destination, ``colptr`` of ``num_dst + 1``.

:meth:`GraphStore.coo`, :meth:`GraphStore.csr` and :meth:`GraphStore.csc` convert whatever
layout is stored, returning per edge type the two index tensors and the permutation from
the compressed order back to the stored edge order.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from typing import Any

import torch
from torch import Tensor

from .feature_store import UNSET, CastMixin

__all__ = ["GraphStore", "EdgeAttr", "EdgeLayout"]


class EdgeLayout(Enum):
    COO = "coo"
    CSR = "csr"
    CSC = "csc"


@dataclass
class EdgeAttr(CastMixin):
    """Address of an edge index in a :class:`GraphStore`."""

    edge_type: Any = UNSET
    layout: Any = UNSET
    is_sorted: bool = False
    size: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.layout is not UNSET:
            try:
                self.layout = EdgeLayout(self.layout)
            except ValueError:
                raise ValueError(f"EdgeAttr.layout: expected one of "
                                 f"{[e.value for e in EdgeLayout]}, given {self.layout!r}") from None
        if self.edge_type is not UNSET and self.edge_type is not None:
            self.edge_type = tuple(self.edge_type)
        if self.size is not None:
            self.size = tuple(int(s) for s in self.size)
            if len(self.size) != 2 or min(self.size) < 0:
                raise ValueError(f"EdgeAttr.size: expected (num_src_nodes, num_dst_nodes), "
                                 f"given {self.size}")

    @property
    def key(self) -> tuple:
        return (self.edge_type, self.layout)

    def __hash__(self) -> int:
        return hash(self.key)


def _compress(key: Tensor, other: Tensor, num_rows: int) -> tuple[Tensor, Tensor, Tensor]:
    perm = torch.argsort(key, stable=True)
    ptr = torch.zeros(num_rows + 1, dtype=torch.long)
    torch.cumsum(torch.bincount(key, minlength=num_rows), 0, out=ptr[1:])
    return ptr, other[perm], perm


def _expand_ptr(ptr: Tensor) -> Tensor:
    return torch.repeat_interleave(torch.arange(ptr.numel() - 1), ptr[1:] - ptr[:-1])


def infer_size(edge_index: tuple[Tensor, Tensor], layout: EdgeLayout) -> tuple[int, int]:
    """``(num_src, num_dst)`` implied by an edge index: pointer lengths, else max + 1."""
    a, b = edge_index

    def extent(t: Tensor) -> int:
        return int(t.max()) + 1 if t.numel() else 0

    if layout == EdgeLayout.CSR:
        return (a.numel() - 1, extent(b))
    if layout == EdgeLayout.CSC:
        return (extent(a), b.numel() - 1)
    return (extent(a), extent(b))


def check_edge_index(edge_index: Any, attr: EdgeAttr) -> tuple[Tensor, Tensor]:
    """Validate a ``(first, second)`` edge-index pair for ``attr.layout``; return it as int64."""
    name = f"put_edge_index {attr.edge_type!r} ({attr.layout.value})"
    if isinstance(edge_index, Tensor) and edge_index.dim() == 2 and edge_index.size(0) == 2:
        edge_index = (edge_index[0], edge_index[1])
    if not (isinstance(edge_index, (tuple, list)) and len(edge_index) == 2
            and all(isinstance(t, Tensor) for t in edge_index)):
        raise TypeError(f"{name}: expected a pair of 1-D tensors, given {type(edge_index).__name__}")
    a, b = edge_index
    for label, t in (("first", a), ("second", b)):
        if t.dim() != 1:
            raise ValueError(f"{name}: expected the {label} tensor 1-D, given shape {list(t.shape)}")
        if t.dtype not in (torch.int64, torch.int32):
            raise TypeError(f"{name}: expected int64 or int32 indices, given {t.dtype} ({label})")
        if t.numel() and int(t.min()) < 0:
            raise ValueError(f"{name}: expected non-negative indices, given {int(t.min())} ({label})")
    a, b = a.long(), b.long()
    num_edges = {EdgeLayout.COO: a.numel(), EdgeLayout.CSR: b.numel(),
                 EdgeLayout.CSC: a.numel()}[attr.layout]
    ptr = {EdgeLayout.CSR: a, EdgeLayout.CSC: b}.get(attr.layout)
    if attr.layout == EdgeLayout.COO and a.numel() != b.numel():
        raise ValueError(f"{name}: row and col need the same length, given {a.numel()} and {b.numel()}")
    if ptr is not None and (ptr.numel() == 0 or int(ptr[-1]) != num_edges
                            or bool((ptr[1:] < ptr[:-1]).any())):
        raise ValueError(f"{name}: the pointer must be non-decreasing with last entry "
                         f"{num_edges} (the number of edges)")
    if attr.size is not None:
        got = infer_size((a, b), attr.layout)
        ptr_side = {EdgeLayout.CSR: 0, EdgeLayout.CSC: 1}.get(attr.layout)
        for i, side in enumerate(("source", "destination")):
            if got[i] > attr.size[i] or (i == ptr_side and got[i] != attr.size[i]):
                raise ValueError(f"{name}: expected {side} nodes to fit size[{i}]="
                                 f"{attr.size[i]}, given an index implying {got[i]}")
    return a, b


def convert_layout(edge_index: tuple[Tensor, Tensor], src: EdgeLayout, dst: EdgeLayout,
                   size: tuple[int, int]) -> tuple[Tensor, Tensor, Tensor | None]:
    """Convert between layouts; returns ``(first, second, perm)``.

    ``perm[i]`` is the position, in the stored order, of the ``i``-th edge of the result
    (``None`` when the layout is unchanged).
    """
    if src == dst:
        return edge_index[0], edge_index[1], None
    a, b = edge_index
    if src == EdgeLayout.CSR:
        row, col = _expand_ptr(a), b
    elif src == EdgeLayout.CSC:
        row, col = a, _expand_ptr(b)
    else:
        row, col = a, b
    if dst == EdgeLayout.COO:
        return row, col, torch.arange(row.numel())
    if dst == EdgeLayout.CSR:
        rowptr, col_sorted, perm = _compress(row, col, size[0])
        return rowptr, col_sorted, perm
    colptr, row_sorted, perm = _compress(col, row, size[1])
    return row_sorted, colptr, perm


class GraphStore(ABC):
    """Abstract store of edge indices addressed by :class:`EdgeAttr`."""

    _edge_attr_cls: type[EdgeAttr] = EdgeAttr

    # --- backend primitives ------------------------------------------------------------
    @abstractmethod
    def _put_edge_index(self, edge_index: tuple[Tensor, Tensor], edge_attr: EdgeAttr) -> bool:
        """Store a checked edge index (int64 pair) under ``edge_attr``."""

    @abstractmethod
    def _get_edge_index(self, edge_attr: EdgeAttr) -> tuple[Tensor, Tensor] | None:
        """The edge index stored under ``(edge_type, layout)``, or None."""

    @abstractmethod
    def _remove_edge_index(self, edge_attr: EdgeAttr) -> bool:
        """Delete ``(edge_type, layout)``; False when it was not stored."""

    @abstractmethod
    def get_all_edge_attrs(self) -> list[EdgeAttr]:
        """Every stored edge index as an ``EdgeAttr`` with its layout and size."""

    def close(self) -> None:
        """Release files or database handles; the default holds none."""
        return None

    # --- public API --------------------------------------------------------------------
    def _edge_attr(self, *args: Any, **kwargs: Any) -> EdgeAttr:
        attr = copy.copy(self._edge_attr_cls.cast(*args, **kwargs))
        if attr is None or attr.layout is UNSET:
            raise ValueError(f"{type(self).__name__}: the edge layout must be given "
                             f"(one of {[e.value for e in EdgeLayout]}), given {attr}")
        if attr.edge_type is UNSET:
            attr.edge_type = None
        return attr

    def put_edge_index(self, edge_index: tuple[Tensor, Tensor], *args: Any, **kwargs: Any) -> bool:
        """Store an edge index (see the module docstring for the pair per layout)."""
        attr = self._edge_attr(*args, **kwargs)
        edge_index = check_edge_index(edge_index, attr)
        if attr.size is None:
            attr.size = infer_size(edge_index, attr.layout)
        if not self._put_edge_index(edge_index, attr):
            raise RuntimeError(f"{type(self).__name__}: could not put edge index {attr}")
        return True

    def get_edge_index(self, *args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
        """The edge index stored under ``(edge_type, layout)``; KeyError when absent."""
        attr = self._edge_attr(*args, **kwargs)
        out = self._get_edge_index(attr)
        if out is None:
            raise KeyError(self._missing_edge(attr))
        return out

    def remove_edge_index(self, *args: Any, **kwargs: Any) -> bool:
        """Delete the edge index ``(edge_type, layout)``; False when it was not stored."""
        return self._remove_edge_index(self._edge_attr(*args, **kwargs))

    def _missing_edge(self, attr: EdgeAttr) -> str:
        known = [(a.edge_type, a.layout.value) for a in self.get_all_edge_attrs()]
        return (f"{type(self).__name__}: no edge index for edge_type={attr.edge_type!r}, "
                f"layout={attr.layout.value!r}; stored: {known}")

    def __setitem__(self, key: Any, value: tuple[Tensor, Tensor]) -> None:
        self.put_edge_index(value, key)

    def __getitem__(self, key: Any) -> tuple[Tensor, Tensor]:
        return self.get_edge_index(key)

    def __delitem__(self, key: Any) -> None:
        if not self.remove_edge_index(key):
            raise KeyError(self._missing_edge(self._edge_attr(key)))

    # --- layout conversion -------------------------------------------------------------
    def _convert(self, layout: EdgeLayout, edge_types: list | None
                 ) -> tuple[dict, dict, dict]:
        by_type: dict[Any, EdgeAttr] = {}
        for attr in self.get_all_edge_attrs():
            best = by_type.get(attr.edge_type)
            if best is None or attr.layout == layout:  # prefer the requested layout
                by_type[attr.edge_type] = attr
        if edge_types is not None:
            edge_types = [None if et is None else tuple(et) for et in edge_types]
            missing = [et for et in edge_types if et not in by_type]
            if missing:
                raise KeyError(f"{type(self).__name__}: no edge index for edge types {missing}; "
                               f"stored: {list(by_type)}")
            by_type = {et: by_type[et] for et in edge_types}
        firsts, seconds, perms = {}, {}, {}
        for et, attr in by_type.items():
            stored = self.get_edge_index(attr)
            size = attr.size or infer_size(stored, attr.layout)
            firsts[et], seconds[et], perms[et] = convert_layout(stored, attr.layout, layout, size)
        return firsts, seconds, perms

    def coo(self, edge_types: list | None = None) -> tuple[dict, dict, dict]:
        """``(row_dict, col_dict, perm_dict)`` for every (or the given) edge type."""
        return self._convert(EdgeLayout.COO, edge_types)

    def csr(self, edge_types: list | None = None) -> tuple[dict, dict, dict]:
        """``(rowptr_dict, col_dict, perm_dict)``: edges grouped by source."""
        return self._convert(EdgeLayout.CSR, edge_types)

    def csc(self, edge_types: list | None = None) -> tuple[dict, dict, dict]:
        """``(colptr_dict, row_dict, perm_dict)``: edges grouped by destination."""
        row, colptr, perm = self._convert(EdgeLayout.CSC, edge_types)
        return colptr, row, perm
