"""Conversions between index vectors, masks and one-hot encodings."""

from __future__ import annotations

import torch
from torch import Tensor


def index_to_mask(index: Tensor, size: int | None = None) -> Tensor:
    index = index.view(-1)
    size = int(index.max()) + 1 if size is None else int(size)
    if index.numel() and (int(index.min()) < 0 or int(index.max()) >= size):
        raise ValueError(f"index_to_mask: indices must lie in [0, {size}), got range "
                         f"[{int(index.min())}, {int(index.max())}]")
    mask = torch.zeros(size, dtype=torch.bool, device=index.device)
    mask[index] = True
    return mask


def mask_to_index(mask: Tensor) -> Tensor:
    if mask.dtype != torch.bool:
        raise ValueError(f"mask_to_index: mask must be torch.bool, got {mask.dtype}")
    return mask.nonzero(as_tuple=False).view(-1)


def one_hot(index: Tensor, num_classes: int | None = None, dtype: torch.dtype | None = None) -> Tensor:
    if index.dim() != 1:
        raise ValueError(f"one_hot: index must be 1-D, got shape {list(index.shape)}")
    if num_classes is None:
        num_classes = int(index.max()) + 1 if index.numel() else 0
    if index.numel() and (int(index.min()) < 0 or int(index.max()) >= num_classes):
        raise ValueError(f"one_hot: index values must lie in [0, {num_classes}), got range "
                         f"[{int(index.min())}, {int(index.max())}]")
    out = torch.zeros(index.numel(), num_classes, dtype=dtype or torch.float, device=index.device)
    return out.scatter_(1, index.view(-1, 1), 1)
