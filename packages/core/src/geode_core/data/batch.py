"""Batch: many graphs collated into one disconnected graph, and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor

from .data import Data


class Batch(Data):
    """A disjoint union of graphs with ``batch`` (graph id per node) and ``ptr`` vectors.

    Built with :meth:`from_data_list`; :meth:`to_data_list` and :meth:`get_example` recover
    the original graphs exactly.
    """

    @classmethod
    def from_data_list(cls, data_list: Sequence[Data], follow_batch: Sequence[str] | None = None,
                       exclude_keys: Sequence[str] | None = None) -> Batch:
        data_list = list(data_list)
        if not data_list:
            raise ValueError("Batch.from_data_list: data_list is empty; expected at least one graph")
        follow_batch = set(follow_batch or ())
        exclude = set(exclude_keys or ())
        keys: list[str] = []
        for data in data_list:
            for key, _ in data:
                if key not in keys and key not in exclude:
                    keys.append(key)
        for i, data in enumerate(data_list):
            missing = [k for k in keys if k not in data]
            if missing:
                raise ValueError(f"Batch.from_data_list: graph {i} lacks attribute(s) {missing} "
                                 f"that other graphs have; give every graph the same keys or "
                                 f"pass exclude_keys")
        batch = cls()
        batch._num_graphs = len(data_list)
        batch._data_cls = type(data_list[0])
        batch._slices = {}
        batch._incs = {}
        batch._kinds = {}
        batch._generated = {"batch", "ptr"}
        counts = [int(d.num_nodes or 0) for d in data_list]
        for key in keys:
            values = [d[key] for d in data_list]
            first = values[0]
            if key == "num_nodes":
                batch._kinds[key] = "num_nodes"
                batch._slices[key] = [int(v) for v in values]
                batch._store[key] = sum(int(v) for v in values)
                continue
            if isinstance(first, Tensor):
                cat_dim = data_list[0].__cat_dim__(key, first)
                incs = [d.__inc__(key, v) for d, v in zip(data_list, values)]
                offsets = [0]
                for inc in incs[:-1]:
                    offsets.append(offsets[-1] + inc)
                if cat_dim is None:
                    batch._kinds[key] = "stack"
                    shifted = [v + o if o else v for v, o in zip(values, offsets)]
                    batch._store[key] = torch.stack(shifted, 0)
                    sizes = [1] * len(values)
                else:
                    dim = cat_dim + first.dim() if cat_dim < 0 else cat_dim
                    batch._kinds[key] = ("cat", dim)
                    shifted = [v + o if o else v for v, o in zip(values, offsets)]
                    batch._store[key] = torch.cat(shifted, dim=dim)
                    sizes = [v.size(dim) for v in values]
                bounds = [0]
                for s in sizes:
                    bounds.append(bounds[-1] + s)
                batch._slices[key] = bounds
                batch._incs[key] = offsets
                if key in follow_batch:
                    dev = first.device
                    batch._store[f"{key}_batch"] = torch.repeat_interleave(
                        torch.arange(len(sizes), device=dev), torch.tensor(sizes, device=dev))
                    batch._store[f"{key}_ptr"] = torch.tensor(bounds, device=dev)
                    batch._generated |= {f"{key}_batch", f"{key}_ptr"}
            elif isinstance(first, (bool, int, float)) and all(type(v) is type(first) for v in values):
                batch._kinds[key] = ("scalar", type(first))
                batch._store[key] = torch.tensor(values)
            else:
                batch._kinds[key] = "list"
                batch._store[key] = list(values)
        dev = next((v.device for v in batch._store.values() if isinstance(v, Tensor)),
                   torch.device("cpu"))
        sizes = torch.tensor(counts, device=dev)
        batch._store["batch"] = torch.repeat_interleave(torch.arange(len(counts), device=dev), sizes)
        ptr = torch.zeros(len(counts) + 1, dtype=torch.long, device=dev)
        ptr[1:] = sizes.cumsum(0)
        batch._store["ptr"] = ptr
        batch._counts = counts
        return batch

    @property
    def num_graphs(self) -> int:
        return int(getattr(self, "_num_graphs", 1))

    @property
    def batch_size(self) -> int:
        return self.num_graphs

    def __len__(self) -> int:
        return self.num_graphs

    def get_example(self, idx: int) -> Data:
        """The ``idx``-th graph exactly as it was given to :meth:`from_data_list`."""
        if "_slices" not in self.__dict__:
            raise RuntimeError("Batch.get_example: this batch was not built by from_data_list")
        n = self.num_graphs
        if idx < 0:
            idx += n
        if not 0 <= idx < n:
            raise IndexError(f"Batch.get_example: idx must lie in [0, {n}), got {idx}")
        data = self._data_cls()
        for key, kind in self._kinds.items():
            value = self._store[key]
            if kind == "num_nodes":
                data._store[key] = self._slices[key][idx]
            elif kind == "stack":
                v = value[idx]
                off = self._incs[key][idx]
                data._store[key] = v - off if off else v
            elif kind == "list":
                data._store[key] = value[idx]
            elif kind[0] == "scalar":
                data._store[key] = kind[1](value[idx].item())
            else:
                dim = kind[1]
                lo, hi = self._slices[key][idx], self._slices[key][idx + 1]
                v = value.narrow(dim, lo, hi - lo)
                off = self._incs[key][idx]
                data._store[key] = v - off if off else v
        return data

    def index_select(self, idx) -> list[Data]:
        if isinstance(idx, slice):
            idx = range(self.num_graphs)[idx]
        elif isinstance(idx, Tensor):
            idx = (idx.nonzero().view(-1) if idx.dtype == torch.bool else idx).tolist()
        return [self.get_example(int(i)) for i in idx]

    def to_data_list(self) -> list[Data]:
        return [self.get_example(i) for i in range(self.num_graphs)]

    def __getitem__(self, key: Any):
        if isinstance(key, str):
            return super().__getitem__(key)
        if isinstance(key, int):
            return self.get_example(key)
        return self.index_select(key)

    def __repr__(self) -> str:
        return super().__repr__().replace("Batch(", f"{type(self).__name__}(num_graphs={self.num_graphs}, ", 1)

