"""Data and HeteroData as feature and graph stores (mixed into both classes).

Tensors are addressed as ``(group_name, attr_name)``: ``group_name`` is ``None`` for
:class:`Data` and a node type (or an edge type, for edge attributes) for
:class:`HeteroData`. :meth:`get_all_tensor_attrs` lists node-level attributes, the ones a
loader gathers by node id. The edge index is kept in COO (``edge_index``); the CSR and CSC
layouts are converted on request, and an index put in CSR/CSC is stored as COO.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

import torch
from torch import Tensor

from .feature_store import FeatureStore, TensorAttr, check_row_write
from .graph_store import EdgeAttr, EdgeLayout, GraphStore, convert_layout, infer_size

__all__ = ["DataStoreMixin", "HeteroDataStoreMixin"]


def _to_coo(edge_index: tuple[Tensor, Tensor], attr: EdgeAttr) -> Tensor:
    row, col, _ = convert_layout(edge_index, attr.layout, EdgeLayout.COO, attr.size)
    return torch.stack([row, col])


def _put_rows(container: Any, attr: TensorAttr, tensor: Tensor) -> bool:
    if attr.index is None:
        container[attr.attr_name] = tensor
        return True
    stored = container[attr.attr_name]
    check_row_write(attr, tuple(stored.shape), stored.dtype, tensor, attr.index.numel())
    stored[attr.index] = tensor
    return True


def _tensor_or_none(container: Any, attr: TensorAttr) -> Tensor | None:
    value = container.get(attr.attr_name) if container is not None else None
    if not isinstance(value, Tensor) or value.dim() == 0:
        return None
    return value if attr.index is None else value[attr.index]


class _StoreBase(FeatureStore, GraphStore):
    """Shared feature/graph-store plumbing; subclasses map groups to attribute containers."""

    @abstractmethod
    def _group(self, group_name: Any, create: bool) -> Any:
        """The attribute container of ``group_name`` (None when absent and not ``create``)."""

    @abstractmethod
    def _edge_container(self, edge_type: Any, create: bool = True) -> Any:
        """The attribute container holding ``edge_type``'s ``edge_index``."""

    @abstractmethod
    def _edge_size(self, edge_type: Any, edge_index: Tensor) -> tuple[int, int]:
        """``(num_src_nodes, num_dst_nodes)`` of ``edge_type``."""

    # FeatureStore
    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        return _put_rows(self._group(attr.group_name, create=True), attr, tensor)

    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        return _tensor_or_none(self._group(attr.group_name, create=False), attr)

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        group = self._group(attr.group_name, create=False)
        if group is None or attr.attr_name not in group:
            return False
        del group[attr.attr_name]
        return True

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        full = TensorAttr(attr.group_name, attr.attr_name, None)
        value = _tensor_or_none(self._group(attr.group_name, create=False), full)
        return None if value is None else tuple(value.shape)

    # GraphStore
    def _put_edge_index(self, edge_index: tuple[Tensor, Tensor], edge_attr: EdgeAttr) -> bool:
        container = self._edge_container(edge_attr.edge_type)
        container.edge_index = _to_coo(edge_index, edge_attr)
        return True

    def _get_edge_index(self, edge_attr: EdgeAttr) -> tuple[Tensor, Tensor] | None:
        container = self._edge_container(edge_attr.edge_type, create=False)
        ei = None if container is None else container.get("edge_index")
        if ei is None:
            return None
        size = self._edge_size(edge_attr.edge_type, ei)
        first, second, _ = convert_layout((ei[0], ei[1]), EdgeLayout.COO, edge_attr.layout, size)
        return first, second

    def _remove_edge_index(self, edge_attr: EdgeAttr) -> bool:
        container = self._edge_container(edge_attr.edge_type, create=False)
        if container is None or "edge_index" not in container:
            return False
        del container["edge_index"]
        return True


class DataStoreMixin(_StoreBase):
    """:class:`Data` as a store: group ``None``, edge type ``None``."""

    def _group(self, group_name: Any, create: bool) -> Any:
        if group_name is not None:
            raise KeyError(f"{type(self).__name__}: a homogeneous graph has group_name=None, "
                           f"given {group_name!r}")
        return self

    def _edge_container(self, edge_type: Any, create: bool = True) -> Any:
        if edge_type is not None:
            raise KeyError(f"{type(self).__name__}: a homogeneous graph has edge_type=None, "
                           f"given {edge_type!r}")
        return self

    def _edge_size(self, edge_type: Any, edge_index: Tensor) -> tuple[int, int]:
        n = self.num_nodes
        return (n, n) if n is not None else infer_size((edge_index[0], edge_index[1]), EdgeLayout.COO)

    def _put_edge_index(self, edge_index: tuple[Tensor, Tensor], edge_attr: EdgeAttr) -> bool:
        if "num_nodes" not in self and edge_attr.size is not None:
            self.num_nodes = max(edge_attr.size)
        return super()._put_edge_index(edge_index, edge_attr)

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(None, key, None) for key in self.keys() if self.is_node_attr(key)]

    def get_all_edge_attrs(self) -> list[EdgeAttr]:
        ei = self.get("edge_index")
        if not isinstance(ei, Tensor):
            return []
        return [EdgeAttr(None, EdgeLayout.COO, size=self._edge_size(None, ei))]


class HeteroDataStoreMixin(_StoreBase):
    """:class:`HeteroData` as a store: groups are node (or edge) types."""

    def _group(self, group_name: Any, create: bool) -> Any:
        if not isinstance(group_name, (str, tuple)):
            raise KeyError(f"HeteroData: group_name must be a node type or an edge type, "
                           f"given {group_name!r}")
        if create or group_name in self:
            return self[group_name]
        return None

    def _edge_container(self, edge_type: Any, create: bool = True) -> Any:
        if not (isinstance(edge_type, tuple) and len(edge_type) == 3):
            raise KeyError(f"HeteroData: edge_type must be (src, rel, dst), given {edge_type!r}")
        return self._group(edge_type, create)

    def _edge_size(self, edge_type: Any, edge_index: Tensor) -> tuple[int, int]:
        inferred = infer_size((edge_index[0], edge_index[1]), EdgeLayout.COO)
        sizes = []
        for end, fallback in zip((edge_type[0], edge_type[2]), inferred):
            n = self[end].num_nodes if end in self else None
            sizes.append(fallback if n is None else n)
        return (sizes[0], sizes[1])

    def _put_edge_index(self, edge_index: tuple[Tensor, Tensor], edge_attr: EdgeAttr) -> bool:
        if edge_attr.size is not None:
            for end, n in zip((edge_attr.edge_type[0], edge_attr.edge_type[2]), edge_attr.size):
                if self[end].num_nodes is None:
                    self[end].num_nodes = n
        return super()._put_edge_index(edge_index, edge_attr)

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(nt, key, None) for nt, store in zip(self.node_types, self.node_stores)
                for key, value in store.items() if isinstance(value, Tensor) and value.dim() > 0]

    def get_all_edge_attrs(self) -> list[EdgeAttr]:
        return [EdgeAttr(et, EdgeLayout.COO, size=self._edge_size(et, store.edge_index))
                for et, store in zip(self.edge_types, self.edge_stores) if "edge_index" in store]
