"""HeteroBatch: many HeteroData graphs collated per node and edge type, and back."""

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
from .hetero_data import HeteroData
from .storage import is_index_key


def _cat_dim(i: int, key: str, value: Any) -> int | None:
    if isinstance(value, Tensor) and value.dim() == 0:
        return None
    return -1 if is_index_key(key) else 0


def _no_inc(i: int, key: str, value: Any) -> int:
    return 0


class HeteroBatch(BatchMixin, HeteroData):
    """A disjoint union of :class:`HeteroData` graphs with the same node and edge types.

    Every node type gets its own ``batch`` and ``ptr`` vectors; ``edge_index`` of type
    ``(src, rel, dst)`` is shifted by the ``src`` and ``dst`` node counts of the graphs
    before it. :meth:`get_example` and :meth:`to_data_list` give the graphs back exactly.
    """

    @classmethod
    def from_data_list(cls, data_list: Sequence[HeteroData],
                       follow_batch: Sequence[str] | None = None,
                       exclude_keys: Sequence[str] | None = None) -> HeteroBatch:
        data_list = list(data_list)
        if not data_list:
            raise ValueError("Batch.from_data_list: data_list is empty; expected at least one graph")
        first = data_list[0]
        for i, data in enumerate(data_list):
            if not isinstance(data, HeteroData):
                raise ValueError(f"Batch.from_data_list: graph {i} is a {type(data).__name__}; "
                                 f"expected HeteroData like graph 0")
            if data.node_types != first.node_types or set(data.edge_types) != set(first.edge_types):
                raise ValueError(f"Batch.from_data_list: graph {i} has types {data.metadata()} "
                                 f"but graph 0 has {first.metadata()}; expected the same types")
        exclude, follow = set(exclude_keys or ()), set(follow_batch or ())
        out = cls()
        out._num_graphs = len(data_list)
        globals_ = [d._global for d in data_list]
        out._layouts = {None: collate_store(globals_, out._global,
                                            collate_keys(globals_, exclude, " (graph-level)"),
                                            _cat_dim, _no_inc, follow)}
        for nt in first.node_types:
            stores = [d[nt] for d in data_list]
            out._layouts[nt] = collate_store(stores, out[nt],
                                             collate_keys(stores, exclude, f" in {nt!r}"),
                                             _cat_dim, _no_inc, follow)
            counts = [int(s.num_nodes or 0) for s in stores]
            device = next((v.device for _, v in out[nt] if isinstance(v, Tensor)),
                          torch.device("cpu"))
            out[nt]._store["batch"] = batch_vector(counts, device)
            out[nt]._store["ptr"] = ptr_vector(counts, device)
        for et in first.edge_types:
            stores = [d[et] for d in data_list]

            def inc(i: int, key: str, value: Any, et=et) -> Any:
                if not is_index_key(key):
                    return 0
                sizes = [int(data_list[i][et[0]].num_nodes or 0), int(data_list[i][et[2]].num_nodes or 0)]
                return torch.tensor(sizes).view(2, 1)

            out._layouts[et] = collate_store(stores, out[et],
                                             collate_keys(stores, exclude, f" in {et}"),
                                             _cat_dim, inc, follow)
        return out

    def get_example(self, idx: int) -> HeteroData:
        """The ``idx``-th graph exactly as it was given to :meth:`from_data_list`."""
        if "_layouts" not in self.__dict__:
            raise RuntimeError("HeteroBatch.get_example: this batch was not built by "
                               "from_data_list")
        idx = check_graph_index(idx, self.num_graphs)
        data = HeteroData()
        for key, layout in self._layouts.items():
            if key is None:
                separate_store(self._global, layout, idx, data._global)
            else:
                separate_store(self[key], layout, idx, data[key])
        return data

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.get_example(key)
        if isinstance(key, (slice, list, Tensor)):
            return self.index_select(key)
        return super().__getitem__(key)

    def __repr__(self) -> str:
        return super().__repr__().replace("HeteroData(", f"HeteroBatch(num_graphs={self.num_graphs},", 1)
