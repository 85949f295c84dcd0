"""Batches of input positions that carry their own random seed.

The batch sampler runs in the main process and draws one base seed per epoch from torch's
global generator; batch ``i`` samples under seed ``base + i``. A worker process therefore
produces exactly the batch the main process would have: ``torch.manual_seed(s)`` before
iterating reproduces a whole epoch with any ``num_workers``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import RandomSampler, SequentialSampler

__all__ = ["SeededBatch", "SeededBatchSampler", "Positions", "run_seeded"]

_MASK = (1 << 63) - 1


@dataclass
class SeededBatch:
    """Positions of one mini-batch in the loader's input and the seed to sample it with."""

    index: Tensor
    seed: int


class SeededBatchSampler:
    """Groups positions ``0..num_items-1`` (shuffled or in order) into :class:`SeededBatch` es."""

    def __init__(self, num_items: int, batch_size: int, shuffle: bool = False, drop_last: bool = False,
                 generator: torch.Generator | None = None):
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        self.order = RandomSampler(range(num_items), generator=generator) if shuffle \
            else SequentialSampler(range(num_items))
        self.num_items = num_items
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __len__(self) -> int:
        if self.drop_last:
            return self.num_items // self.batch_size
        return -(-self.num_items // self.batch_size)

    def __iter__(self) -> Iterator[SeededBatch]:
        base = int(torch.empty((), dtype=torch.int64).random_().item())
        order = torch.as_tensor(list(iter(self.order)), dtype=torch.long)
        for i in range(len(self)):
            index = order[i * self.batch_size:(i + 1) * self.batch_size]
            yield SeededBatch(index, (base + i) & _MASK)


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
