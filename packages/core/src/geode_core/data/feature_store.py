"""``FeatureStore``: the interface every node/edge feature backend implements.

A tensor is addressed by a :class:`TensorAttr` ``(group_name, attr_name, index)``: the group
is a node type (or ``None`` for a homogeneous graph), the attribute a name such as ``"x"``,
and the index selects rows (``None``: all rows; an int, a slice, a list, a long or bool
tensor). Users reach tensors through methods, item syntax or attribute-style views::

    store.put_tensor(x, group_name="paper", attr_name="x", index=None)
    store["paper", "x", idx]          # rows idx
    store["paper", "x", None]         # the whole tensor
    store.paper.x[idx]                # the same through views; store.paper.x() is all rows

A backend implements five primitives (``_put_tensor``, ``_get_tensor``, ``_remove_tensor``,
``_get_tensor_size``, ``get_all_tensor_attrs``) and optionally ``_multi_get_tensor`` for a
batched read. The public methods check their input and normalise indices first, so a
backend only ever receives ``None``, an ``int``, a ``slice`` or a 1-D int64 tensor of
in-range rows.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import torch
from torch import Tensor

__all__ = ["FeatureStore", "TensorAttr", "AttrView", "UNSET"]


class _Unset:
    """Marker for a :class:`TensorAttr` field that was not given (distinct from ``None``)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self):
        return (_Unset, ())


UNSET: Any = _Unset()


class CastMixin:
    """``cls.cast(...)`` builds an instance from an instance, a tuple, a dict or arguments."""

    @classmethod
    def cast(cls, *args: Any, **kwargs: Any):
        if len(args) == 1 and not kwargs:
            elem = args[0]
            if elem is None:
                return None
            if isinstance(elem, cls):
                return elem
            if isinstance(elem, tuple):
                return cls(*elem)
            if isinstance(elem, dict):
                return cls(**elem)
        return cls(*args, **kwargs)


@dataclass
class TensorAttr(CastMixin):
    """Address of a tensor in a :class:`FeatureStore`: ``(group_name, attr_name, index)``.

    Fields not given are ``UNSET``; :meth:`fully_specify` turns them into ``None`` (the
    homogeneous group, all rows).
    """

    group_name: Any = UNSET
    attr_name: Any = UNSET
    index: Any = UNSET

    def is_set(self, key: str) -> bool:
        return getattr(self, key) is not UNSET

    def is_fully_specified(self) -> bool:
        return all(self.is_set(f.name) for f in fields(self))

    def fully_specify(self) -> TensorAttr:
        for f in fields(self):
            if not self.is_set(f.name):
                setattr(self, f.name, None)
        return self

    def update(self, attr: TensorAttr) -> TensorAttr:
        for f in fields(self):
            if attr.is_set(f.name):
                setattr(self, f.name, getattr(attr, f.name))
        return self

    @property
    def key(self) -> tuple:
        """``(group_name, attr_name)``: the tensor this attribute addresses, without rows."""
        return (self.group_name, self.attr_name)

    def __hash__(self) -> int:  # index is mutable data; hash the stored tensor's address
        return hash(self.key)


class AttrView(CastMixin):
    """A partially specified :class:`TensorAttr` bound to its store.

    Attribute access fills the next unset field (group, then attribute name), item access
    sets the index; once every field is set the tensor is fetched. ``view()`` fetches the
    whole tensor, ``view[index] = tensor`` writes rows.
    """

    def __init__(self, store: FeatureStore, attr: TensorAttr) -> None:
        self.__dict__["_store"] = store
        self.__dict__["_attr"] = attr

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        out = copy.copy(self)
        attr = copy.copy(self._attr)
        for f in fields(attr):
            if not attr.is_set(f.name):
                if f.name == "index":
                    raise AttributeError(
                        f"AttrView {self._attr}: group and attribute are set; select rows with "
                        f"[index] or call the view, not .{key}")
                setattr(attr, f.name, key)
                break
        out.__dict__["_attr"] = attr
        return out._store.get_tensor(attr) if attr.is_fully_specified() else out

    def __getitem__(self, index: Any) -> Any:
        attr = copy.copy(self._attr)
        attr.index = index
        if attr.is_fully_specified():
            return self._store.get_tensor(attr)
        return AttrView(self._store, attr)

    def __setattr__(self, key: str, value: Any) -> None:
        attr = copy.copy(self._attr)
        for f in fields(attr):
            if not attr.is_set(f.name):
                setattr(attr, f.name, key)
                break
        self._store.put_tensor(value, attr.fully_specify())

    def __setitem__(self, index: Any, value: Tensor) -> None:
        attr = copy.copy(self._attr)
        attr.index = index
        self._store.put_tensor(value, attr.fully_specify())

    def __call__(self) -> Tensor:
        attr = copy.copy(self._attr)
        return self._store.get_tensor(attr.fully_specify())

    def __copy__(self) -> AttrView:
        out = AttrView.__new__(AttrView)
        out.__dict__.update(self.__dict__)
        return out

    def __repr__(self) -> str:
        return f"AttrView(store={type(self._store).__name__}, attr={self._attr})"


def normalize_index(index: Any, num_rows: int, attr: TensorAttr) -> Any:
    """``None``, an ``int``, a ``slice`` or a 1-D int64 tensor of rows in ``[0, num_rows)``.

    Negative ints and tensor entries count from the end, as in torch indexing; bool masks
    must have ``num_rows`` entries. Anything out of range raises an ``IndexError`` naming
    the attribute.
    """
    if index is None or isinstance(index, slice):
        return index
    name = f"index of {attr.key}"
    if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
        i = int(index)
        if not -num_rows <= i < num_rows:
            raise IndexError(f"{name}: expected a row in [{-num_rows}, {num_rows}), given {i}")
        return i % num_rows
    if isinstance(index, (list, tuple, range, np.ndarray)):
        index = torch.as_tensor(np.asarray(index))
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}: expected None, an int, a slice, a list or a tensor, "
                        f"given {type(index).__name__}")
    if index.dtype == torch.bool:
        if index.shape != (num_rows,):
            raise IndexError(f"{name}: a bool mask needs shape [{num_rows}], given {list(index.shape)}")
        return index.nonzero().view(-1)
    if index.is_floating_point() or index.is_complex():
        raise TypeError(f"{name}: expected an integer or bool tensor, given {index.dtype}")
    if index.dim() != 1:
        raise IndexError(f"{name}: expected a 1-D tensor of rows, given shape {list(index.shape)}")
    index = index.long()
    if index.numel():
        lo, hi = int(index.min()), int(index.max())
        if lo < -num_rows or hi >= num_rows:
            raise IndexError(f"{name}: expected rows in [{-num_rows}, {num_rows}), "
                             f"given range [{lo}, {hi}]")
        if lo < 0:
            index = index % num_rows
    return index


def index_to_rows(index: Any, num_rows: int) -> Tensor:
    """A normalised index (see :func:`normalize_index`) as a 1-D int64 tensor of rows."""
    if index is None:
        return torch.arange(num_rows)
    if isinstance(index, slice):
        return torch.arange(num_rows)[index]
    if isinstance(index, int):
        return torch.tensor([index])
    return index


def check_row_write(attr: TensorAttr, stored_shape: tuple, stored_dtype: torch.dtype,
                    tensor: Tensor, num_rows: int) -> None:
    """Check that ``tensor`` can overwrite ``num_rows`` rows of a stored tensor."""
    if tensor.dtype != stored_dtype:
        raise TypeError(f"put_tensor {attr.key}: expected dtype {stored_dtype} (the stored "
                        f"tensor's), given {tensor.dtype}")
    expected = (num_rows, *stored_shape[1:])
    if tuple(tensor.shape) != expected:
        raise ValueError(f"put_tensor {attr.key}: expected shape {list(expected)} for the "
                         f"selected rows, given {list(tensor.shape)}")


class FeatureStore(ABC):
    """Abstract key-value store of tensors addressed by :class:`TensorAttr`."""

    _tensor_attr_cls: type[TensorAttr] = TensorAttr

    # --- backend primitives ------------------------------------------------------------
    @abstractmethod
    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        """Store ``tensor``: the whole tensor (``attr.index`` None, replacing any previous
        one) or, given a 1-D int64 tensor of in-range rows, overwrite those rows (see
        :func:`check_row_write`)."""

    @abstractmethod
    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        """The rows ``attr.index`` of the stored tensor, or None when it does not exist."""

    @abstractmethod
    def _remove_tensor(self, attr: TensorAttr) -> bool:
        """Delete the tensor ``attr.key``; False when it did not exist."""

    @abstractmethod
    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        """The full shape of the tensor ``attr.key``, or None when it does not exist."""

    @abstractmethod
    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        """Every stored tensor as a ``TensorAttr`` with ``index=None``."""

    def _multi_get_tensor(self, attrs: list[TensorAttr]) -> list[Tensor | None]:
        """Batched read; backends with a cheaper bulk path override this."""
        return [self._get_tensor(attr) for attr in attrs]

    def close(self) -> None:
        """Release files or database handles; the default holds none."""
        return None

    # --- public API --------------------------------------------------------------------
    def _tensor_attr(self, *args: Any, **kwargs: Any) -> TensorAttr:
        attr = copy.copy(self._tensor_attr_cls.cast(*args, **kwargs))
        if attr is None:
            raise TypeError("expected a TensorAttr, a (group_name, attr_name, index) tuple or "
                            "keyword arguments, given None")
        attr.fully_specify()
        if attr.attr_name is None:
            raise ValueError(f"{type(self).__name__}: attr_name must be given, given {attr}")
        return attr

    def _resolved(self, attr: TensorAttr) -> TensorAttr:
        """``attr`` with its index checked against the stored size (KeyError when missing)."""
        size = self._get_tensor_size(attr)
        if size is None:
            raise KeyError(self._missing_tensor(attr))
        if attr.index is not None:
            attr = copy.copy(attr)
            attr.index = normalize_index(attr.index, size[0] if size else 0, attr)
        return attr

    def _missing_tensor(self, attr: TensorAttr) -> str:
        known = sorted({a.key for a in self.get_all_tensor_attrs()}, key=str)
        return (f"{type(self).__name__}: no tensor (group_name={attr.group_name!r}, "
                f"attr_name={attr.attr_name!r}); stored: {known}")

    def put_tensor(self, tensor: Tensor, *args: Any, **kwargs: Any) -> bool:
        """Store ``tensor`` at ``TensorAttr(*args, **kwargs)``.

        Without an index (``index=None``) the whole tensor is stored, replacing any
        previous one; with an index, those rows of the existing tensor are overwritten
        (same dtype and trailing shape).
        """
        attr = self._tensor_attr(*args, **kwargs)
        if not isinstance(tensor, Tensor):
            if isinstance(tensor, np.ndarray):
                tensor = torch.from_numpy(tensor)
            else:
                raise TypeError(f"put_tensor {attr.key}: expected a torch.Tensor, given "
                                f"{type(tensor).__name__}")
        if attr.index is not None:
            attr = self._resolved(attr)
            if isinstance(attr.index, int):  # one row: write it as a batch of one
                size = self._get_tensor_size(attr)
                tensor = tensor.unsqueeze(0) if tensor.dim() == len(size) - 1 else tensor
            attr.index = index_to_rows(attr.index, self._get_tensor_size(attr)[0])
        if not self._put_tensor(tensor, attr):
            raise RuntimeError(f"{type(self).__name__}: could not put tensor {attr}")
        return True

    def get_tensor(self, *args: Any, convert_type: bool = False, **kwargs: Any) -> Tensor:
        """The rows ``index`` of the tensor ``(group_name, attr_name)``; KeyError if absent."""
        attr = self._resolved(self._tensor_attr(*args, **kwargs))
        out = self._get_tensor(attr)
        if out is None:
            raise KeyError(self._missing_tensor(attr))
        return out

    def multi_get_tensor(self, attrs: list[Any], convert_type: bool = False) -> list[Tensor]:
        """``[get_tensor(a) for a in attrs]`` through the backend's batched read."""
        resolved = [self._resolved(self._tensor_attr(a)) for a in attrs]
        out = self._multi_get_tensor(resolved)
        for attr, tensor in zip(resolved, out):
            if tensor is None:
                raise KeyError(self._missing_tensor(attr))
        return out

    def remove_tensor(self, *args: Any, **kwargs: Any) -> bool:
        """Delete the tensor ``(group_name, attr_name)``; False when it was not stored."""
        attr = self._tensor_attr(*args, **kwargs)
        if attr.index is not None:
            raise ValueError(f"remove_tensor {attr.key}: removes whole tensors; index must be "
                             f"None, given {attr.index!r}")
        return self._remove_tensor(attr)

    def update_tensor(self, tensor: Tensor, *args: Any, **kwargs: Any) -> bool:
        """Replace the stored tensor (index None) or overwrite the rows ``index``."""
        attr = self._tensor_attr(*args, **kwargs)
        if self._get_tensor_size(attr) is None:
            raise KeyError(self._missing_tensor(attr))
        if attr.index is None:
            self._remove_tensor(attr)
        return self.put_tensor(tensor, attr)

    def get_tensor_size(self, *args: Any, **kwargs: Any) -> tuple[int, ...]:
        """The full shape of the tensor ``(group_name, attr_name)``; KeyError if absent."""
        attr = self._tensor_attr(*args, **kwargs)
        size = self._get_tensor_size(attr)
        if size is None:
            raise KeyError(self._missing_tensor(attr))
        return tuple(size)

    def view(self, *args: Any, **kwargs: Any) -> AttrView:
        """A view bound to this store, with the given fields of ``TensorAttr`` set."""
        return AttrView(self, self._tensor_attr_cls.cast(*args, **kwargs))

    # --- Python protocol ---------------------------------------------------------------
    def __setitem__(self, key: Any, value: Tensor) -> None:
        self.put_tensor(value, self._key_attr(key))

    def __getitem__(self, key: Any) -> Any:
        attr = self._key_attr(key)
        if attr.is_fully_specified():
            return self.get_tensor(attr)
        return self.view(attr)

    def __delitem__(self, key: Any) -> None:
        attr = self._key_attr(key)
        if not self.remove_tensor(attr.fully_specify()):
            raise KeyError(self._missing_tensor(attr))

    def __contains__(self, key: Any) -> bool:
        attr = copy.copy(self._key_attr(key)).fully_specify()
        return self._get_tensor_size(attr) is not None

    def _key_attr(self, key: Any) -> TensorAttr:
        if isinstance(key, str):
            key = (key,)
        return copy.copy(self._tensor_attr_cls.cast(key))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.view(group_name=name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
