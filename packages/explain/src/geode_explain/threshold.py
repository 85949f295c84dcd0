"""Thresholding of explanation masks."""

from __future__ import annotations

import torch
from torch import Tensor

from .config import ThresholdConfig, ThresholdType


def threshold_mask(mask: Tensor | None, config: ThresholdConfig | None) -> Tensor | None:
    """``mask`` thresholded per ``config`` (top-k runs over all entries of the mask)."""
    if mask is None or config is None:
        return mask
    if config.threshold_type == ThresholdType.hard:
        return (mask > config.value).to(mask.dtype)
    flat = mask.flatten()
    if config.value >= flat.numel():
        return mask if config.threshold_type == ThresholdType.topk else torch.ones_like(mask)
    top = flat.topk(config.value).indices
    out = torch.zeros_like(flat)
    if config.threshold_type == ThresholdType.topk:
        out[top] = flat[top]
    else:
        out[top] = 1.0
    return out.view_as(mask)
