"""DataLoader: mini-batches of graphs as Batch objects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch.utils.data

from ..data import Batch, Data, HeteroData

GRAPH_TYPES = (Data, HeteroData)


class Collater:
    """Turn a list of graphs into a :class:`Batch` (a :class:`HeteroBatch` for HeteroData;
    other element types collate as torch does)."""

    def __init__(self, follow_batch: Sequence[str] | None = None,
                 exclude_keys: Sequence[str] | None = None) -> None:
        self.follow_batch = list(follow_batch or [])
        self.exclude_keys = list(exclude_keys or [])

    def __call__(self, batch: list[Any]) -> Any:
        first = batch[0]
        if isinstance(first, GRAPH_TYPES):
            return Batch.from_data_list(batch, self.follow_batch, self.exclude_keys)
        if isinstance(first, Sequence) and not isinstance(first, str) and \
                all(isinstance(v, GRAPH_TYPES) for v in first):
            return type(first)(self(list(items)) for items in zip(*batch))
        return torch.utils.data.default_collate(batch)


class DataLoader(torch.utils.data.DataLoader):
    """``torch.utils.data.DataLoader`` over graphs that yields :class:`Batch` objects.

    Every keyword of the torch loader (``num_workers``, ``pin_memory``, ``sampler``,
    ``drop_last``, ...) works unchanged.
    """

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False,
                 follow_batch: Sequence[str] | None = None,
                 exclude_keys: Sequence[str] | None = None, **kwargs: Any) -> None:
        if "collate_fn" in kwargs:
            raise TypeError("DataLoader: collate_fn is fixed to build Batch objects; use "
                            "torch.utils.data.DataLoader for a custom collate function")
        self.follow_batch = follow_batch
        self.exclude_keys = exclude_keys
        super().__init__(dataset, batch_size=batch_size, shuffle=shuffle,
                         collate_fn=Collater(follow_batch, exclude_keys), **kwargs)
