"""Random node splits."""

from __future__ import annotations

import torch
from torch import Tensor

from ..data import HeteroData
from .base import BaseTransform


class RandomNodeSplit(BaseTransform):
    """Set ``train_mask``/``val_mask``/``test_mask``.

    * ``split='train_rest'``: ``num_val`` / ``num_test`` random nodes (ints, or fractions of
      all nodes) for validation and test, the rest for training;
    * ``split='test_rest'``: ``num_train_per_class`` nodes of every class (labels in
      ``data[key]``) for training, ``num_val`` for validation, the rest for testing;
    * ``split='random'``: ``num_train_per_class`` per class, then ``num_val`` and
      ``num_test`` random nodes; the rest are in no split.

    ``num_splits > 1`` gives masks of shape ``[num_nodes, num_splits]``, one independent
    split per column. On :class:`HeteroData` every node type holding ``key`` is split.
    """

    def __init__(self, split: str = "train_rest", num_splits: int = 1,
                 num_train_per_class: int = 20, num_val: int | float = 500,
                 num_test: int | float = 1000, key: str = "y",
                 generator: torch.Generator | None = None) -> None:
        if split not in ("random", "train_rest", "test_rest"):
            raise ValueError(f"RandomNodeSplit: split must be 'random', 'train_rest' or "
                             f"'test_rest', got {split!r}")
        if num_splits < 1:
            raise ValueError(f"RandomNodeSplit: num_splits must be >= 1, got {num_splits}")
        self.split, self.num_splits, self.num_train_per_class = split, num_splits, num_train_per_class
        self.num_val, self.num_test, self.key, self.generator = num_val, num_test, key, generator

    @staticmethod
    def _count(value: int | float, n: int, name: str) -> int:
        count = round(value * n) if isinstance(value, float) else int(value)
        if not 0 <= count <= n:
            raise ValueError(f"RandomNodeSplit: {name}={value} is outside [0, num_nodes={n}]")
        return count

    def _one_split(self, data, n: int) -> tuple[Tensor, Tensor, Tensor]:
        perm = torch.randperm(n, generator=self.generator)
        train, val, test = (torch.zeros(n, dtype=torch.bool) for _ in range(3))
        n_val = self._count(self.num_val, n, "num_val")
        if self.split == "train_rest":
            n_test = self._count(self.num_test, n, "num_test")
            if n_val + n_test > n:
                raise ValueError(f"RandomNodeSplit: num_val + num_test = {n_val + n_test} "
                                 f"exceeds num_nodes={n}")
            val[perm[:n_val]] = True
            test[perm[n_val:n_val + n_test]] = True
            train[perm[n_val + n_test:]] = True
            return train, val, test
        y = data[self.key].view(-1).cpu()
        for c in y.unique().tolist():
            train[perm[y[perm] == c][: self.num_train_per_class]] = True
        rest = perm[~train[perm]]
        n_test = rest.numel() - n_val if self.split == "test_rest" \
            else self._count(self.num_test, n, "num_test")
        if n_val + n_test > rest.numel() or n_test < 0:
            raise ValueError(f"RandomNodeSplit: num_val={n_val}" +
                             ("" if self.split == "test_rest" else f" + num_test={n_test}") +
                             f" exceeds the {rest.numel()} nodes left after training")
        val[rest[:n_val]] = True
        test[rest[n_val:n_val + n_test]] = True
        return train, val, test

    def forward(self, data):
        if isinstance(data, HeteroData):
            stores = [s for s in data.node_stores if self.key in s]
            if not stores:
                raise ValueError(f"RandomNodeSplit: no node type of the HeteroData holds "
                                 f"key={self.key!r}")
        else:
            stores = [data]
        for store in stores:
            n = int(store.num_nodes or 0)
            splits = [self._one_split(store, n) for _ in range(self.num_splits)]
            for i, name in enumerate(("train_mask", "val_mask", "test_mask")):
                masks = [s[i] for s in splits]
                store[name] = masks[0] if self.num_splits == 1 else torch.stack(masks, dim=1)
        return data

    def __repr__(self) -> str:
        return f"RandomNodeSplit(split={self.split!r})"
