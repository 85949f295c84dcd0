"""``SamplingLoader``: the torch ``DataLoader`` under every sampling loader.

It iterates over positions of the loader's input in seeded batches (see :mod:`.seeded`);
a *batcher* turns positions into a sampler call (``sample``) and a sample into the
mini-batch graph (``finish``). ``filter_per_worker`` says where ``finish`` runs: in the
worker processes, or in the main process as batches arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import Sampler

from geode_core.data import Data, HeteroData

from .seeded import Positions, SeededBatch, SeededBatchSampler, draw_seed, run_seeded

__all__ = ["SamplingLoader", "build_sampler", "infer_filter_per_worker", "resolve_sampler", "split_sampler"]

_FIXED = ("dataset", "collate_fn", "batch_sampler")


def infer_filter_per_worker(data) -> bool:
    """PyG's default: filter in the workers only when some of the data lives on a GPU."""
    tensors: list[Tensor] = []
    if isinstance(data, Data):
        tensors = [v for _, v in data if isinstance(v, Tensor)]
    elif isinstance(data, HeteroData):
        for store in [*data.node_stores, *data.edge_stores]:
            tensors += [v for _, v in store.items() if isinstance(v, Tensor)]
    return any(t.is_cuda for t in tensors)


def split_sampler(sampler, kwargs: dict):
    """``sampler=`` is either the graph sampler or (PyG style) a torch index sampler; move the
    latter into ``kwargs`` and return the former."""
    if isinstance(sampler, Sampler):
        kwargs["sampler"] = sampler
        return None
    return sampler


def resolve_sampler(sampler, data, default: type, **options: Any):
    """A sampler object from ``None`` (``default``), a registered name, a class or an object."""
    if sampler is None:
        return default(data, **options)
    if isinstance(sampler, str):
        from geode_core.plugins import get_registry

        sampler = get_registry().load("sampler", sampler)
    if isinstance(sampler, type):
        return sampler(data, **options)
    if not hasattr(sampler, "sample_from_nodes") and not hasattr(sampler, "sample_from_edges"):
        raise TypeError(f"sampler must be a registered name, a sampler class or an object with "
                        f"sample_from_nodes/sample_from_edges; got {type(sampler).__name__}")
    return sampler


def build_sampler(data, neighbor_sampler, sampler, kwargs: dict, default: type, **options: Any):
    """The graph sampler of a neighbour loader from its ``neighbor_sampler=``/``sampler=``
    arguments (a torch index sampler given as ``sampler=`` moves into ``kwargs``)."""
    sampler = split_sampler(sampler, kwargs)
    return resolve_sampler(neighbor_sampler if neighbor_sampler is not None else sampler, data, default,
                           **options)


class _Collate:
    """Runs in the worker (or main) process: sample one seeded batch, maybe finish it."""

    def __init__(self, batcher, finish: bool, transform: Callable | None):
        self.batcher, self.finish, self.transform = batcher, finish, transform

    def __call__(self, batch: SeededBatch):
        out = run_seeded(batch.seed, self.batcher.sample, batch.index)
        return self.batcher.finish(out, self.transform) if self.finish else out


class SamplingLoader(torch.utils.data.DataLoader):
    """A DataLoader over ``num_items`` inputs whose batches come from ``batcher``.

    ``batch_size``, ``shuffle``, ``drop_last``, ``generator`` (shuffling) and ``sampler``
    (a ``torch.utils.data.Sampler`` drawing input positions) are handled here; every other torch keyword (``num_workers``, ``persistent_workers``,
    ``pin_memory``, ...) passes through.
    """

    def __init__(self, batcher, num_items: int, transform: Callable | None = None,
                 filter_per_worker: bool | None = None, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, generator: torch.Generator | None = None,
                 sampler: Sampler | None = None, **kwargs: Any):
        fixed = [k for k in _FIXED if k in kwargs]
        if fixed:
            raise TypeError(f"{type(self).__name__} sets {fixed} itself; they cannot be passed")
        if filter_per_worker is None:
            filter_per_worker = infer_filter_per_worker(batcher.data)
        self.batcher = batcher
        self.data = batcher.data
        self.transform = transform
        self.filter_per_worker = filter_per_worker
        self.num_items = num_items
        super().__init__(
            Positions(num_items),
            batch_sampler=SeededBatchSampler(num_items, batch_size, shuffle, drop_last, generator, sampler),
            collate_fn=_Collate(batcher, filter_per_worker, transform),
            **kwargs,
        )

    def __iter__(self) -> Iterator:
        self.batch_sampler.epoch_seed = draw_seed()
        it = super().__iter__()
        if self.filter_per_worker:
            return it
        return (self.batcher.finish(out, self.transform) for out in it)

