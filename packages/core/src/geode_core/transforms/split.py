"""Random node splits."""

from __future__ import annotations

import torch

from ..data import Data
from .base import BaseTransform


class RandomNodeSplit(BaseTransform):
    """Set ``train_mask``/``val_mask``/``test_mask``.

    ``split='random'``: ``num_val``/``num_test`` nodes (ints, or fractions of all nodes) go to
    validation and test, the rest to training. ``split='train_rest'`` is the same.
    ``split='test_rest'``: ``num_train_per_class`` per class for training, ``num_val`` for
    validation, the rest test.
    """

    def __init__(self, split: str = "train_rest", num_splits: int = 1,
                 num_train_per_class: int = 20, num_val: int | float = 500,
                 num_test: int | float = 1000, key: str = "y",
                 generator: torch.Generator | None = None) -> None:
        if split not in ("random", "train_rest", "test_rest"):
            raise ValueError(f"RandomNodeSplit: split must be 'random', 'train_rest' or "
                             f"'test_rest', got {split!r}")
        if num_splits != 1:
            raise ValueError("RandomNodeSplit: only num_splits=1 is supported")
        self.split, self.num_train_per_class = split, num_train_per_class
        self.num_val, self.num_test, self.key, self.generator = num_val, num_test, key, generator

    @staticmethod
    def _count(value: int | float, n: int, name: str) -> int:
        count = round(value * n) if isinstance(value, float) else int(value)
        if not 0 <= count <= n:
            raise ValueError(f"RandomNodeSplit: {name}={value} is outside [0, num_nodes={n}]")
        return count

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        perm = torch.randperm(n, generator=self.generator)
        masks = {k: torch.zeros(n, dtype=torch.bool) for k in ("train_mask", "val_mask", "test_mask")}
        n_val = self._count(self.num_val, n, "num_val")
        if self.split == "test_rest":
            y = data[self.key]
            train = []
            for c in y.unique().tolist():
                nodes = perm[y[perm] == c]
                train.append(nodes[: self.num_train_per_class])
            train_idx = torch.cat(train) if train else torch.empty(0, dtype=torch.long)
            masks["train_mask"][train_idx] = True
            rest = perm[~masks["train_mask"][perm]]
            if n_val > rest.numel():
                raise ValueError(f"RandomNodeSplit: num_val={n_val} exceeds the {rest.numel()} "
                                 f"nodes left after training")
            masks["val_mask"][rest[:n_val]] = True
            masks["test_mask"][rest[n_val:]] = True
        else:
            n_test = self._count(self.num_test, n, "num_test")
            if n_val + n_test > n:
                raise ValueError(f"RandomNodeSplit: num_val + num_test = {n_val + n_test} "
                                 f"exceeds num_nodes={n}")
            masks["val_mask"][perm[:n_val]] = True
            masks["test_mask"][perm[n_val:n_val + n_test]] = True
            masks["train_mask"][perm[n_val + n_test:]] = True
        for k, v in masks.items():
            data[k] = v
        return data

    def __repr__(self) -> str:
        return f"RandomNodeSplit(split={self.split!r})"
