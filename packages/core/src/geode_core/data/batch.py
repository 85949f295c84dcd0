"""Batch: many graphs collated into one disconnected graph, and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor

from .collate import (
    BatchMixin,
    batch_vector,
    check_graph_index,
    collate_keys,
    collate_store,
    ptr_vector,
    separate_store,
)
from .data import Data


class Batch(BatchMixin, Data):
    """A disjoint union of graphs with ``batch`` (graph id per node) and ``ptr`` vectors.

    Built with :meth:`from_data_list`; :meth:`to_data_list` and :meth:`get_example` recover
    the original graphs exactly. A list of :class:`HeteroData` gives a
    :class:`~geode_core.data.HeteroBatch`.
    """

    @classmethod
    def from_data_list(cls, data_list: Sequence[Data], follow_batch: Sequence[str] | None = None,
                       exclude_keys: Sequence[str] | None = None):
        data_list = list(data_list)
        if not data_list:
            raise ValueError("Batch.from_data_list: data_list is empty; expected at least one graph")
        from .hetero_batch import HeteroBatch
        from .hetero_data import HeteroData

        if isinstance(data_list[0], HeteroData):
            return HeteroBatch.from_data_list(data_list, follow_batch, exclude_keys)
        keys = collate_keys(data_list, set(exclude_keys or ()), "")
        batch = cls()
        batch._num_graphs = len(data_list)
        batch._data_cls = type(data_list[0])
        batch._layout = collate_store(
            data_list, batch, keys,
            cat_dim=lambda i, key, value: data_list[i].__cat_dim__(key, value),
            inc=lambda i, key, value: data_list[i].__inc__(key, value),
            follow_batch=set(follow_batch or ()))
        dev = next((v.device for v in batch._store.values() if isinstance(v, Tensor)),
                   torch.device("cpu"))
        counts = [int(d.num_nodes or 0) for d in data_list]
        batch._store["batch"] = batch_vector(counts, dev)
        batch._store["ptr"] = ptr_vector(counts, dev)
        return batch

    def get_example(self, idx: int) -> Data:
        """The ``idx``-th graph exactly as it was given to :meth:`from_data_list`."""
        if "_layout" not in self.__dict__:
            raise RuntimeError("Batch.get_example: this batch was not built by from_data_list")
        data = self._data_cls()
        separate_store(self, self._layout, check_graph_index(idx, self.num_graphs), data)
        return data

    def __getitem__(self, key: Any):
        if isinstance(key, str):
            return super().__getitem__(key)
        if isinstance(key, int):
            return self.get_example(key)
        return self.index_select(key)

    def __repr__(self) -> str:
        return super().__repr__().replace("Batch(", f"{type(self).__name__}(num_graphs={self.num_graphs}, ", 1)
