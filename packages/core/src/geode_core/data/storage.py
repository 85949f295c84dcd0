"""Attribute stores shared by Data and HeteroData."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch import Tensor

from ..ops.adjacency import Adjacency


def describe(value: Any) -> str:
    """Short description used by reprs: tensor shapes, scalars, lengths."""
    if isinstance(value, Tensor):
        return str(value.item()) if value.dim() == 0 else str(list(value.shape))
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return f"[{len(value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={describe(v)}" for k, v in value.items()) + "}"
    return repr(value)


class AttrStore:
    """A dict of named attributes reachable as ``store.name`` and ``store['name']``."""

    def __init__(self, **kwargs: Any) -> None:
        object.__setattr__(self, "_store", {})
        for key, value in kwargs.items():
            if value is not None:
                self[key] = value

    # --- mapping access ---------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        store = self.__dict__.get("_store", {})
        if name in store:
            return store[name]
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        prop = getattr(type(self), name, None)
        if name.startswith("_") or isinstance(prop, property):
            object.__setattr__(self, name, value)
        elif value is None:
            self._store.pop(name, None)
        else:
            self._store[name] = value

    def __delattr__(self, name: str) -> None:
        if name in self._store:
            del self._store[name]
        else:
            object.__delattr__(self, name)

    def __getitem__(self, key: str) -> Any:
        return self._store[key]

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __delitem__(self, key: str) -> None:
        self._store.pop(key, None)

    def __contains__(self, key: str) -> bool:
        return key in self._store

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self._store.items())

    def __len__(self) -> int:
        return len(self._store)

    def keys(self) -> list[str]:
        return list(self._store.keys())

    def items(self):
        return self._store.items()

    def get(self, key: str, default: Any = None) -> Any:
        return self._store.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._store)

    # --- tensor plumbing --------------------------------------------------------------
    def apply(self, func: Callable[[Tensor], Tensor], *keys: str):
        """Apply ``func`` to every tensor attribute (or only ``keys``), in place."""
        for key, value in list(self._store.items()):
            if keys and key not in keys:
                continue
            self._store[key] = _apply(value, func)
        return self

    def to(self, device, *keys: str, non_blocking: bool = False):
        return self.apply(lambda t: t.to(device, non_blocking=non_blocking), *keys)

    def cpu(self, *keys: str):
        return self.apply(lambda t: t.cpu(), *keys)

    def cuda(self, device=None, *keys: str, non_blocking: bool = True):
        return self.apply(lambda t: t.cuda(device, non_blocking=non_blocking), *keys)

    def pin_memory(self, *keys: str):
        return self.apply(lambda t: t.pin_memory(), *keys)

    def clone(self):
        return copy.deepcopy(self)

    def __deepcopy__(self, memo):
        out = type(self).__new__(type(self))
        for key, value in self.__dict__.items():
            object.__setattr__(out, key, copy.deepcopy(value, memo))
        return out

    def __copy__(self):
        out = type(self).__new__(type(self))
        for key, value in self.__dict__.items():
            object.__setattr__(out, key, copy.copy(value) if key == "_store" else value)
        return out

    def __getstate__(self):
        return self.__dict__

    def __setstate__(self, state):
        for key, value in state.items():
            object.__setattr__(self, key, value)


def cached_adjacency(owner: AttrStore, edge_index: Tensor, size: tuple[int, int]) -> Adjacency:
    """The :class:`Adjacency` of ``edge_index`` kept on ``owner``; rebuilt when the tensor is
    replaced or modified in place (its ``_version`` moves) or ``size`` changes."""
    cache = owner.__dict__.get("_adj_cache")
    if cache is not None and cache[0] is edge_index and cache[1] == edge_index._version \
            and cache[2] == size:
        return cache[3]
    adj = Adjacency.from_edge_index(edge_index, size=size)
    object.__setattr__(owner, "_adj_cache", (edge_index, edge_index._version, size, adj))
    return adj


def _apply(value: Any, func: Callable[[Tensor], Tensor]) -> Any:
    if isinstance(value, Tensor):
        return func(value)
    if isinstance(value, Adjacency):  # e.g. ToSparseTensor's adj_t: move every tensor in it
        out = copy.copy(value)
        for key, field in vars(value).items():
            if isinstance(field, Tensor):
                setattr(out, key, func(field))
        out._derived = {}
        return out
    if isinstance(value, dict):
        return {k: _apply(v, func) for k, v in value.items()}
    if isinstance(value, list):
        return [_apply(v, func) for v in value]
    if isinstance(value, tuple):
        return tuple(_apply(v, func) for v in value)
    return value


def is_index_key(key: str) -> bool:
    return "index" in key or key == "face"


def is_edge_key(key: str) -> bool:
    return "edge" in key and not is_index_key(key)


def infer_num_nodes(store: AttrStore) -> int | None:
    if "num_nodes" in store:
        return int(store["num_nodes"])
    for key in ("x", "pos", "batch", "n_id"):
        value = store.get(key)
        if isinstance(value, Tensor) and value.dim() > 0:
            return value.size(0)
    ei = store.get("edge_index")
    if isinstance(ei, Tensor) and ei.dim() == 2:
        return int(ei.max()) + 1 if ei.numel() else 0
    return None


def tensor_equal(a: Any, b: Any) -> bool:
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return a.dtype == b.dtype and a.shape == b.shape and bool(torch.equal(a, b))
    return type(a) is type(b) and a == b
