"""Batches of input positions that carry their own random seed.

The loader draws one epoch seed from torch's global generator when iteration starts (before
torch's own DataLoader machinery draws anything); the batch sampler, in the main process,
derives the shuffle order and the seed of every batch from it: batch ``i`` samples under
``epoch_seed + 1 + i``. A worker process therefore produces exactly the batch the main
process would have: ``torch.manual_seed(s)`` before iterating reproduces a whole epoch
with any ``num_workers``, persistent or not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import Sampler

__all__ = ["Positions", "SeededBatch", "SeededBatchSampler", "draw_seed", "run_seeded"]

_MASK = (1 << 63) - 1


@dataclass
class SeededBatch:
    """Positions of one mini-batch in the loader's input and the seed to sample it with."""

    index: Tensor
    seed: int


class SeededBatchSampler:
    """Groups positions ``0..num_items-1`` (shuffled, in order, or as drawn by an index
    ``sampler`` such as :class:`~geode_sampler.ImbalancedSampler`) into :class:`SeededBatch` es."""

    def __init__(self, num_items: int, batch_size: int, shuffle: bool = False, drop_last: bool = False,
                 generator: torch.Generator | None = None, sampler: Sampler | None = None):
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        if sampler is not None and shuffle:
            raise ValueError("shuffle=True cannot be combined with an index sampler; the sampler "
                             "decides the order")
        self.sampler = sampler
        self.shuffle = shuffle
        self.generator = generator
        self.epoch_seed: int | None = None
        self.num_items = num_items
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __len__(self) -> int:
        total = len(self.sampler) if self.sampler is not None else self.num_items
        if self.drop_last:
            return total // self.batch_size
        return -(-total // self.batch_size)

    def __iter__(self) -> Iterator[SeededBatch]:
        base = self.epoch_seed if self.epoch_seed is not None else draw_seed()
        self.epoch_seed = None
        if self.sampler is not None:
            with torch.random.fork_rng(devices=[]):
                torch.default_generator.manual_seed(base)
                order = torch.as_tensor(list(self.sampler), dtype=torch.long)
        elif self.shuffle:
            gen = self.generator or torch.Generator().manual_seed(base)
            order = torch.randperm(self.num_items, generator=gen)
        else:
            order = torch.arange(self.num_items)
        for i in range(len(self)):
            index = order[i * self.batch_size:(i + 1) * self.batch_size]
            yield SeededBatch(index, (base + 1 + i) & _MASK)


def draw_seed() -> int:
    """A seed from torch's global generator."""
    return int(torch.empty((), dtype=torch.int64).random_().item()) & _MASK


class Positions(torch.utils.data.Dataset):
    """A dataset whose batches are the :class:`SeededBatch` es themselves."""

    def __init__(self, num_items: int):
        self.num_items = num_items

    def __len__(self) -> int:
        return self.num_items

    def __getitem__(self, index: int) -> int:
        return index

    def __getitems__(self, batch: SeededBatch) -> SeededBatch:
        return batch


def run_seeded(seed: int, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` with torch's global CPU generator seeded by ``seed``, restored afterwards."""
    with torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(seed)
        return fn(*args)
