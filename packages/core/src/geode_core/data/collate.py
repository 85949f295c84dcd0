"""Collating one attribute store per graph into one store, and separating it again.

Shared by :class:`~geode_core.data.Batch` (one store per graph) and
:class:`~geode_core.data.HeteroBatch` (one store per node type, edge type and graph).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor

from ..ops.adjacency import Adjacency
from .storage import AttrStore

#: ``(graph position, key, value) -> int | Tensor`` offset added when batching
IncFn = Callable[[int, str, Any], Any]
#: ``(graph position, key, value) -> int | None`` concatenation dim (None: stack)
CatDimFn = Callable[[int, str, Any], "int | None"]


@dataclass
class StoreLayout:
    """How each attribute of one collated store was combined, to cut it apart again."""

    kinds: dict[str, Any] = field(default_factory=dict)
    slices: dict[str, list[int]] = field(default_factory=dict)
    incs: dict[str, list[Any]] = field(default_factory=dict)


def _is_zero(offset: Any) -> bool:
    return bool((offset == 0).all()) if isinstance(offset, Tensor) else offset == 0


def _shift(value: Tensor, offset: Any, sign: int) -> Tensor:
    if _is_zero(offset):
        return value
    offset = offset.to(value.device) if isinstance(offset, Tensor) else offset
    return value + offset if sign > 0 else value - offset


def collate_keys(stores: Sequence[AttrStore], exclude: set[str], where: str) -> list[str]:
    """The keys every store holds, in first-seen order; a key missing somewhere raises."""
    keys: list[str] = []
    for store in stores:
        for key, _ in store:
            if key not in keys and key not in exclude:
                keys.append(key)
    for i, store in enumerate(stores):
        missing = [k for k in keys if k not in store]
        if missing:
            raise ValueError(f"Batch.from_data_list: graph {i} lacks attribute(s) {missing}"
                             f"{where} that other graphs have; give every graph the same keys "
                             f"or pass exclude_keys")
    return keys


def collate_store(stores: Sequence[AttrStore], out: AttrStore, keys: Sequence[str],
                  cat_dim: CatDimFn, inc: IncFn, follow_batch: set[str]) -> StoreLayout:
    """Write the combined attributes of ``stores`` into ``out``; return their layout."""
    layout = StoreLayout()
    for key in keys:
        values = [s[key] for s in stores]
        first = values[0]
        if key == "num_nodes":
            layout.kinds[key] = "num_nodes"
            layout.slices[key] = [int(v) for v in values]
            out._store[key] = sum(int(v) for v in values)
        elif isinstance(first, Tensor):
            dim = cat_dim(0, key, first)
            offsets: list[Any] = [0]
            for i, v in enumerate(values[:-1]):
                offsets.append(offsets[-1] + inc(i, key, v))
            shifted = [_shift(v, o, +1) for v, o in zip(values, offsets)]
            if dim is None:
                layout.kinds[key] = "stack"
                out._store[key] = torch.stack(shifted, 0)
                sizes = [1] * len(values)
            else:
                dim = dim + first.dim() if dim < 0 else dim
                layout.kinds[key] = ("cat", dim)
                out._store[key] = torch.cat(shifted, dim=dim)
                sizes = [v.size(dim) for v in values]
            bounds = [0]
            for s in sizes:
                bounds.append(bounds[-1] + s)
            layout.slices[key], layout.incs[key] = bounds, offsets
            if key in follow_batch:
                out._store[f"{key}_batch"] = batch_vector(sizes, first.device)
                out._store[f"{key}_ptr"] = torch.tensor(bounds, device=first.device)
        elif isinstance(first, Adjacency) and all(isinstance(v, Adjacency) for v in values):
            out._store[key], layout.kinds[key], layout.slices[key] = _collate_adjacency(values)
        elif isinstance(first, (bool, int, float)) and all(type(v) is type(first) for v in values):
            layout.kinds[key] = ("scalar", type(first))
            out._store[key] = torch.tensor(values)
        else:
            layout.kinds[key] = "list"
            out._store[key] = list(values)
    return layout


def separate_store(store: AttrStore, layout: StoreLayout, idx: int, out: AttrStore) -> None:
    """Write graph ``idx``'s attributes, exactly as given to :func:`collate_store`, to ``out``."""
    for key, kind in layout.kinds.items():
        value = store._store[key]
        if kind == "num_nodes":
            out._store[key] = layout.slices[key][idx]
        elif kind == "stack":
            out._store[key] = _shift(value[idx], layout.incs[key][idx], -1)
        elif kind == "list":
            out._store[key] = value[idx]
        elif kind[0] == "adjacency":
            out._store[key] = _separate_adjacency(value, kind[1], layout.slices[key], idx)
        elif kind[0] == "scalar":
            out._store[key] = kind[1](value[idx].item())
        else:
            lo, hi = layout.slices[key][idx], layout.slices[key][idx + 1]
            out._store[key] = _shift(value.narrow(kind[1], lo, hi - lo), layout.incs[key][idx], -1)


def _collate_adjacency(adjs: Sequence[Adjacency]) -> tuple[Adjacency, tuple, list[int]]:
    """One block-diagonal adjacency (graph ``i``'s nodes shifted past those before it), the
    layout kind holding every graph's size, and the edge bounds."""
    sizes = [adj.size for adj in adjs]
    shift = torch.tensor([[0], [0]])
    parts, bounds = [], [0]
    for adj, (num_src, num_dst) in zip(adjs, sizes):
        parts.append(adj.edge_index + shift.to(adj.edge_index.device))
        shift = shift + torch.tensor([[num_src], [num_dst]])
        bounds.append(bounds[-1] + adj.num_edges)
    weights = [adj.edge_weight for adj in adjs]
    weight = torch.cat(weights) if all(w is not None for w in weights) else None
    total = (int(shift[0, 0]), int(shift[1, 0]))
    return Adjacency.from_edge_index(torch.cat(parts, 1), weight, total), ("adjacency", sizes), bounds


def _separate_adjacency(adj: Adjacency, sizes: list, bounds: list[int], idx: int) -> Adjacency:
    lo, hi = bounds[idx], bounds[idx + 1]
    src_off = sum(s[0] for s in sizes[:idx])
    dst_off = sum(s[1] for s in sizes[:idx])
    edge_index = adj.edge_index[:, lo:hi] - torch.tensor([[src_off], [dst_off]], device=adj.edge_index.device)
    weight = None if adj.edge_weight is None else adj.edge_weight[lo:hi]
    return Adjacency.from_edge_index(edge_index, weight, sizes[idx])


def batch_vector(sizes: Sequence[int], device) -> Tensor:
    """``[0] * sizes[0] + [1] * sizes[1] + ...`` as a tensor."""
    return torch.repeat_interleave(torch.arange(len(sizes), device=device),
                                   torch.tensor(list(sizes), device=device))


def ptr_vector(sizes: Sequence[int], device) -> Tensor:
    """Offsets ``[0, sizes[0], sizes[0] + sizes[1], ...]``."""
    ptr = torch.zeros(len(sizes) + 1, dtype=torch.long, device=device)
    ptr[1:] = torch.tensor(list(sizes), device=device).cumsum(0)
    return ptr


def check_graph_index(idx: int, num_graphs: int) -> int:
    if idx < 0:
        idx += num_graphs
    if not 0 <= idx < num_graphs:
        raise IndexError(f"Batch.get_example: idx must lie in [0, {num_graphs}), got {idx}")
    return idx


class BatchMixin:
    """What :class:`Batch` and :class:`HeteroBatch` share: the number of graphs and
    selecting them back out (subclasses implement ``get_example``)."""

    @property
    def num_graphs(self) -> int:
        return int(self.__dict__.get("_num_graphs", 1))

    @property
    def batch_size(self) -> int:
        return self.num_graphs

    def __len__(self) -> int:
        return self.num_graphs

    def index_select(self, idx) -> list:
        """The graphs at ``idx`` (slice, index list/tensor or bool mask), as given."""
        if isinstance(idx, slice):
            idx = range(self.num_graphs)[idx]
        elif isinstance(idx, Tensor):
            idx = (idx.nonzero().view(-1) if idx.dtype == torch.bool else idx).tolist()
        return [self.get_example(int(i)) for i in idx]

    def to_data_list(self) -> list:
        return [self.get_example(i) for i in range(self.num_graphs)]
