"""Losses and metrics that ignore padding: masked, with fixed shapes and no boolean indexing."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

IGNORE_INDEX = -100


def masked_targets(target: Tensor, mask: Tensor, ignore_index: int = IGNORE_INDEX) -> Tensor:
    """``torch.where(mask, target, ignore_index)``: padded entries become ignored classes."""
    if mask.shape != target.shape[:mask.dim()] or mask.dtype != torch.bool:
        raise ValueError(f"masked_targets: mask must be a bool tensor shaped like target's leading "
                         f"dimensions {list(target.shape)}, got {mask.dtype} {list(mask.shape)}")
    return torch.where(mask, target, torch.full_like(target, ignore_index))


def masked_cross_entropy(logits: Tensor, target: Tensor, mask: Tensor,
                         ignore_index: int = IGNORE_INDEX, **kwargs) -> Tensor:
    """Cross-entropy averaged over the entries where ``mask`` is True (padding ignored).

    The shape of every tensor is the padded one; no boolean indexing, so it compiles and
    captures into a CUDA graph. With no real entry the loss is 0 (not NaN).
    """
    per_entry = F.cross_entropy(logits, masked_targets(target, mask, ignore_index),
                                ignore_index=ignore_index, reduction="none", **kwargs)
    return per_entry.sum() / mask.sum().clamp(min=1)


def masked_accuracy(logits_or_pred: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """Fraction of correct predictions among the entries where ``mask`` is True.

    ``logits_or_pred`` is either class scores ``[N, C]`` (argmax is taken) or predicted
    labels ``[N]``. Returns a 0-dim tensor (no host sync).
    """
    pred = logits_or_pred.argmax(-1) if logits_or_pred.dim() == target.dim() + 1 else logits_or_pred
    if mask.shape != target.shape or mask.dtype != torch.bool:
        raise ValueError(f"masked_accuracy: mask must be a bool tensor of shape {list(target.shape)}, "
                         f"got {mask.dtype} {list(mask.shape)}")
    correct = ((pred == target) & mask).sum()
    return correct.to(torch.get_default_dtype()) / mask.sum().clamp(min=1)
