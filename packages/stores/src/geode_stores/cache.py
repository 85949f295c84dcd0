"""``CachedFeatureStore``: a bounded cache of hot rows in front of a slow feature store.

Reads of rows (``get_tensor`` with an index) are answered from the cache where possible;
the missing rows are fetched from the backing store in one batched read and admitted,
evicting in round-robin (FIFO) order. :meth:`CachedFeatureStore.warm` preloads chosen rows
(say the highest-degree nodes) which are then never evicted. Writes go through to the
backing store and drop the cached rows of that tensor. :attr:`stats` counts hits and misses.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from geode_core.data import FeatureStore, TensorAttr

__all__ = ["CachedFeatureStore", "CacheStats"]


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def __repr__(self) -> str:
        return f"CacheStats(hits={self.hits}, misses={self.misses}, hit_rate={self.hit_rate:.3f})"


class _RowCache:
    """Cached rows of one tensor: slot of each row (-1: absent) and the slots' contents."""

    def __init__(self, num_rows: int, capacity: int, like: Tensor) -> None:
        self.slot_of = torch.full((num_rows,), -1, dtype=torch.long)
        self.row_in = torch.full((capacity,), -1, dtype=torch.long)
        self.rows = torch.empty((capacity, *like.shape[1:]), dtype=like.dtype)
        self.pinned = 0  # slots [0, pinned) hold warmed rows and are never evicted
        self.next = 0

    def admit(self, ids: Tensor, rows: Tensor, pin: bool = False) -> None:
        capacity = self.rows.size(0)
        free = capacity - self.pinned
        if free <= 0 or ids.numel() == 0:
            return
        ids, rows = ids[-free:], rows[-free:]  # more rows than slots: keep the last ones
        if pin:
            slots = torch.arange(self.pinned, self.pinned + ids.numel())
            self.pinned += ids.numel()
            self.next = 0
        else:
            slots = self.pinned + (self.next + torch.arange(ids.numel())) % free
            self.next = (self.next + ids.numel()) % free
        evicted = self.row_in[slots]
        self.slot_of[evicted[evicted >= 0]] = -1
        self.row_in[slots] = ids
        self.slot_of[ids] = slots
        self.rows[slots] = rows


class CachedFeatureStore(FeatureStore):
    """Wrap ``store`` with a cache of up to ``capacity`` rows per tensor.

    Args:
        store: the backing feature store (RocksDB, Kuzu, a remote store, ...).
        capacity: rows kept per ``(group, attr)``.
    """

    def __init__(self, store: FeatureStore, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity: expected >= 0 rows, given {capacity}")
        self.store = store
        self.capacity = int(capacity)
        self._caches: dict[tuple, _RowCache] = {}
        self.stats = CacheStats()

    def reset_stats(self) -> None:
        self.stats = CacheStats()

    def _cache(self, attr: TensorAttr, like: Tensor) -> _RowCache:
        cache = self._caches.get(attr.key)
        if cache is None:
            num_rows = self.store.get_tensor_size(attr.group_name, attr.attr_name)[0]
            cache = self._caches[attr.key] = _RowCache(num_rows, self.capacity, like)
        return cache

    def warm(self, ids: Tensor, *args, **kwargs) -> None:
        """Load rows ``ids`` of ``TensorAttr(*args, **kwargs)`` and pin them in the cache."""
        attr = self._tensor_attr(*args, **kwargs)
        ids = torch.as_tensor(ids).long().unique()
        rows = self.store.get_tensor(attr.group_name, attr.attr_name, ids)
        cache = self._cache(attr, rows)
        fresh = cache.slot_of[ids] < 0
        cache.admit(ids[fresh], rows[fresh], pin=True)

    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        if attr.index is None or isinstance(attr.index, (int, slice)) or self.capacity == 0:
            return self.store.get_tensor(attr)
        ids = attr.index
        if ids.numel() == 0:
            return self.store.get_tensor(attr)
        cache = self._caches.get(attr.key)
        slots = cache.slot_of[ids] if cache is not None else torch.full_like(ids, -1)
        miss = slots < 0
        missing = ids[miss].unique()
        self.stats.hits += int((~miss).sum())
        self.stats.misses += int(miss.sum())
        fetched = self.store.get_tensor(attr.group_name, attr.attr_name, missing) \
            if missing.numel() else None
        if cache is None:
            cache = self._cache(attr, fetched)
        out = torch.empty((ids.numel(), *cache.rows.shape[1:]), dtype=cache.rows.dtype)
        out[~miss] = cache.rows[slots[~miss]]
        if fetched is not None:
            out[miss] = fetched[torch.searchsorted(missing, ids[miss])]
            cache.admit(missing, fetched)
        return out

    def _multi_get_tensor(self, attrs: list[TensorAttr]) -> list[Tensor | None]:
        return [self._get_tensor(attr) for attr in attrs]

    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        self._caches.pop(attr.key, None)
        return self.store.put_tensor(tensor, attr.group_name, attr.attr_name, attr.index)

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        self._caches.pop(attr.key, None)
        return self.store.remove_tensor(attr)

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        try:
            return self.store.get_tensor_size(attr.group_name, attr.attr_name)
        except KeyError:
            return None

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return self.store.get_all_tensor_attrs()

    def __repr__(self) -> str:
        return f"CachedFeatureStore({self.store!r}, capacity={self.capacity}, {self.stats})"
