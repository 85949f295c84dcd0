"""Per-relation weight matrices, full or basis- or block-decomposed (shared by the relational layers)."""

from __future__ import annotations

import torch
from torch import Tensor


def add_relation_weights(module: torch.nn.Module, in_channels: int, out_channels: int,
                         num_relations: int, num_bases: int | None, num_blocks: int | None) -> None:
    """Register ``module.weight`` (and ``module.comp`` for bases) for ``num_relations`` relations.

    * full: ``weight`` ``[R, in, out]``;
    * ``num_bases``: ``weight`` ``[B, in, out]`` bases mixed by ``comp`` ``[R, B]``;
    * ``num_blocks``: ``weight`` ``[R, blocks, in / blocks, out / blocks]`` block-diagonal.
    """
    owner = type(module).__name__
    if num_bases is not None and num_blocks is not None:
        raise ValueError(f"{owner}: give num_bases or num_blocks, not both")
    module.num_relations, module.num_bases, module.num_blocks = num_relations, num_bases, num_blocks
    if num_bases is not None:
        module.weight = torch.nn.Parameter(torch.empty(num_bases, in_channels, out_channels))
        module.comp = torch.nn.Parameter(torch.empty(num_relations, num_bases))
        return
    module.register_parameter("comp", None)
    if num_blocks is not None:
        if in_channels % num_blocks or out_channels % num_blocks:
            raise ValueError(f"{owner}: in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must be divisible by num_blocks ({num_blocks})")
        module.weight = torch.nn.Parameter(torch.empty(
            num_relations, num_blocks, in_channels // num_blocks, out_channels // num_blocks))
    else:
        module.weight = torch.nn.Parameter(torch.empty(num_relations, in_channels, out_channels))


def dense_relation_weights(module: torch.nn.Module) -> Tensor:
    """The dense ``[num_relations, in, out]`` weight of every relation of ``module``."""
    weight = module.weight
    if module.num_bases is not None:
        return (module.comp @ weight.flatten(1)).view(module.num_relations, *weight.shape[1:])
    if module.num_blocks is not None:
        eye = torch.eye(module.num_blocks, dtype=weight.dtype, device=weight.device)
        dense = torch.einsum("rbij,bk->rbikj", weight, eye)
        return dense.reshape(module.num_relations, weight.shape[1] * weight.shape[2],
                             weight.shape[1] * weight.shape[3])
    return weight
