"""Running a model with node and edge masks applied, for homogeneous and hetero inputs.

Inputs are either tensors (``x``, ``edge_index``, ``model(x, edge_index, **kwargs)``) or dicts
keyed by node / edge type (``model(x_dict, edge_index_dict, **kwargs)``). Node masks multiply
the features; edge masks go to the message-passing layers (:mod:`geode_explain.masks`).
"""

from __future__ import annotations

import torch
from torch import Tensor

from .config import MaskType
from .masks import edge_masks


def is_hetero(x) -> bool:
    return isinstance(x, dict)


def apply_node_mask(x, node_mask):
    if node_mask is None:
        return x
    if is_hetero(x):
        return {key: value * node_mask[key] if key in node_mask else value for key, value in x.items()}
    return x * node_mask


def masked_forward(model: torch.nn.Module, x, edge_index, node_mask=None, edge_mask=None, **kwargs):
    """``model`` on ``x * node_mask`` with every message scaled by ``edge_mask``."""
    with edge_masks(model, edge_mask):
        return model(apply_node_mask(x, node_mask), edge_index, **kwargs)


def node_mask_shape(mask_type: MaskType, x: Tensor) -> tuple[int, int]:
    """``[N, 1]`` (object), ``[1, F]`` (common attributes) or ``[N, F]`` (attributes)."""
    n, f = x.size(0), x.size(-1)
    return {MaskType.object: (n, 1), MaskType.common_attributes: (1, f),
            MaskType.attributes: (n, f)}[mask_type]


def reduce_to_mask_type(attribution: Tensor, mask_type: MaskType) -> Tensor:
    """A ``[N, F]`` attribution summed to the shape of ``mask_type``."""
    if mask_type == MaskType.object:
        return attribution.sum(dim=-1, keepdim=True)
    if mask_type == MaskType.common_attributes:
        return attribution.sum(dim=0, keepdim=True)
    return attribution


def per_type(value, fn):
    """``fn`` applied to a tensor or to each value of a dict."""
    if isinstance(value, dict):
        return {key: fn(v) for key, v in value.items()}
    return fn(value)


def leaves(value) -> list:
    """The tensors of a tensor, a dict of tensors, or None, as a list."""
    if value is None:
        return []
    return list(value.values()) if isinstance(value, dict) else [value]
