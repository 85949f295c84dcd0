"""``PartitionBook``: which partition owns each global node, and where it sits there."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor

__all__ = ["PartitionBook"]


class PartitionBook:
    """Owner and local position of every global node id.

    ``owner[v]`` is the partition holding node ``v``; ``local[v]`` its row among that
    partition's nodes (which are kept in ascending global id order).
    """

    def __init__(self, owner: Tensor, num_parts: int) -> None:
        owner = owner.long()
        if owner.dim() != 1:
            raise ValueError(f"owner: expected a 1-D tensor, given shape {list(owner.shape)}")
        if owner.numel() and (int(owner.min()) < 0 or int(owner.max()) >= num_parts):
            raise ValueError(f"owner: expected partition ids in [0, {num_parts}), given range "
                             f"[{int(owner.min())}, {int(owner.max())}]")
        self.owner = owner
        self.num_parts = int(num_parts)
        counts = torch.bincount(owner, minlength=num_parts)
        order = torch.argsort(owner, stable=True)  # by partition, ascending ids within one
        start = torch.cumsum(counts, 0) - counts
        self.local = torch.empty_like(owner)
        self.local[order] = torch.arange(owner.numel()) - start[owner[order]]
        self.sizes = counts

    @property
    def num_nodes(self) -> int:
        return self.owner.numel()

    def check_ids(self, ids: Tensor) -> Tensor:
        """``ids`` as int64, checked to be global node ids (IndexError otherwise)."""
        ids = torch.as_tensor(ids).long()
        if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= self.num_nodes):
            raise IndexError(f"node ids must lie in [0, {self.num_nodes}), given range "
                             f"[{int(ids.min())}, {int(ids.max())}]")
        return ids

    def owner_of(self, ids: Tensor) -> Tensor:
        """Partition of each global node id."""
        return self.owner[self.check_ids(ids)]

    def local_index(self, ids: Tensor) -> Tensor:
        """Row of each global node id within its owner's partition."""
        return self.local[self.check_ids(ids)]

    def nodes_of(self, part: int) -> Tensor:
        """Global ids owned by ``part``, ascending."""
        if not 0 <= part < self.num_parts:
            raise IndexError(f"part: expected a partition in [0, {self.num_parts}), given {part}")
        return (self.owner == part).nonzero().view(-1)

    def save(self, path: str | Path) -> None:
        torch.save({"owner": self.owner, "num_parts": self.num_parts}, path)

    @classmethod
    def load(cls, path: str | Path) -> PartitionBook:
        state = torch.load(path, weights_only=True)
        return cls(state["owner"], state["num_parts"])

    def __repr__(self) -> str:
        return f"PartitionBook(num_nodes={self.num_nodes}, num_parts={self.num_parts}, " \
               f"sizes={self.sizes.tolist()})"
