"""In-memory reference backends of :class:`FeatureStore` and :class:`GraphStore`.

Plain dicts of tensors: the behaviour every other backend is tested against.
"""

from __future__ import annotations

from torch import Tensor

from .feature_store import FeatureStore, TensorAttr, check_row_write
from .graph_store import EdgeAttr, GraphStore

__all__ = ["InMemoryFeatureStore", "InMemoryGraphStore"]


class InMemoryFeatureStore(FeatureStore):
    """Tensors held in a dict keyed by ``(group_name, attr_name)``; puts copy their input."""

    def __init__(self) -> None:
        self._tensors: dict[tuple, Tensor] = {}

    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        if attr.index is None:
            self._tensors[attr.key] = tensor.detach().clone()
            return True
        stored = self._tensors[attr.key]
        check_row_write(attr, tuple(stored.shape), stored.dtype, tensor, attr.index.numel())
        stored[attr.index] = tensor
        return True

    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        tensor = self._tensors.get(attr.key)
        if tensor is None or attr.index is None:
            return tensor
        return tensor[attr.index]

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        return self._tensors.pop(attr.key, None) is not None

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        tensor = self._tensors.get(attr.key)
        return None if tensor is None else tuple(tensor.shape)

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(group, name, None) for group, name in self._tensors]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._tensors)} tensors)"


class InMemoryGraphStore(GraphStore):
    """Edge indices held in a dict keyed by ``(edge_type, layout)``."""

    def __init__(self) -> None:
        self._edges: dict[tuple, tuple[EdgeAttr, tuple[Tensor, Tensor]]] = {}

    def _put_edge_index(self, edge_index: tuple[Tensor, Tensor], edge_attr: EdgeAttr) -> bool:
        self._edges[edge_attr.key] = (edge_attr, (edge_index[0].clone(), edge_index[1].clone()))
        return True

    def _get_edge_index(self, edge_attr: EdgeAttr) -> tuple[Tensor, Tensor] | None:
        entry = self._edges.get(edge_attr.key)
        return None if entry is None else entry[1]

    def _remove_edge_index(self, edge_attr: EdgeAttr) -> bool:
        return self._edges.pop(edge_attr.key, None) is not None

    def get_all_edge_attrs(self) -> list[EdgeAttr]:
        return [attr for attr, _ in self._edges.values()]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._edges)} edge indices)"
