"""Batches as flat tuples of tensors, and back: what PopTorch's argument parser accepts.

:func:`flatten_batch` turns a :class:`Data`/:class:`Batch` into tensors (0-dim tensors gain
a leading dimension of 1) and a :class:`BatchLayout` that holds everything else; the
layout rebuilds an equal object from the tensors. :func:`combine_batches` concatenates K
flattened mini-batches along dimension 0, the host-side layout PopTorch splits into K
equal slices for device iterations, replicas and gradient accumulation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from geode_core.data import Batch, Data


@dataclass(frozen=True)
class BatchLayout:
    """What is not a tensor in a flattened batch: its class, key order, scalars, graph count."""

    cls: type
    keys: tuple[str, ...]
    tensor_keys: tuple[str, ...]
    scalar_keys: frozenset[str]
    constants: tuple[tuple[str, Any], ...]
    num_graphs: int | None

    def rebuild(self, tensors: Sequence[Tensor]) -> Data:
        """The batch these tensors were flattened from (each ``[1]`` scalar back to 0-dim)."""
        if len(tensors) != len(self.tensor_keys):
            raise ValueError(f"BatchLayout.rebuild: expected {len(self.tensor_keys)} tensors "
                             f"({', '.join(self.tensor_keys)}), got {len(tensors)}")
        values = dict(self.constants)
        for key, value in zip(self.tensor_keys, tensors):
            values[key] = value.reshape(()) if key in self.scalar_keys else value
        out = self.cls()
        for key in self.keys:
            out._store[key] = values[key]
        if self.num_graphs is not None:
            out._num_graphs = self.num_graphs
        return out


def flatten_batch(batch: Data) -> tuple[tuple[Tensor, ...], BatchLayout]:
    """``(tensors, layout)`` with ``layout.rebuild(tensors)`` equal to ``batch``."""
    if not isinstance(batch, Data):
        raise TypeError(f"flatten_batch: expected a Data or Batch, got {type(batch).__name__}")
    keys, tensors, scalars, constants = [], [], set(), []
    order = tuple(key for key, _ in batch)
    for key, value in batch:
        if isinstance(value, Tensor):
            keys.append(key)
            if value.dim() == 0:
                scalars.add(key)
                value = value.reshape(1)
            tensors.append(value)
        else:
            constants.append((key, value))
    cls = Batch if isinstance(batch, Batch) else type(batch)
    num_graphs = batch.num_graphs if isinstance(batch, Batch) else None
    return tuple(tensors), BatchLayout(cls, order, tuple(keys), frozenset(scalars), tuple(constants),
                                       num_graphs)


@dataclass(frozen=True)
class CombinedBatch:
    """K mini-batches of one layout, their tensors concatenated along dimension 0."""

    tensors: tuple[Tensor, ...]
    layout: BatchLayout
    num_batches: int


def combine_batches(batches: Sequence[Data]) -> CombinedBatch:
    """Concatenate the flattened tensors of ``batches`` (all of one layout and shape)."""
    if not batches:
        raise ValueError("combine_batches: batches is empty")
    flat = [flatten_batch(b) for b in batches]
    layout = flat[0][1]
    for i, (tensors, other) in enumerate(flat):
        shapes = [t.shape for t in tensors]
        if other != layout or shapes != [t.shape for t in flat[0][0]]:
            raise ValueError(f"combine_batches: batch {i} differs in keys, constants or shapes from "
                             f"batch 0; combine only fixed-size batches of one layout")
    tensors = tuple(torch.cat(parts, 0) for parts in zip(*(f[0] for f in flat)))
    return CombinedBatch(tensors, layout, len(batches))
