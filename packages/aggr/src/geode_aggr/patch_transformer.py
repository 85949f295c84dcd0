"""Patch transformer aggregation: messages in order, cut into patches, self-attention over
the patches, then a reduction of the patches."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation, resolve_aggregation

from ._segment import prepare_rows, to_dense
from .set_transformer import _MultiheadBlock


class PatchTransformerAggregation(Aggregation):
    """Patch transformer aggregation.

    Each destination's messages, in order, are cut into patches of ``patch_size`` (the last
    one zero-padded); each flattened patch is projected to ``hidden_channels``;
    ``num_transformer_blocks`` multi-head self-attention blocks (layer-normalised) run over
    a destination's patches; the patches are reduced by ``aggr`` (a name or a list of names,
    e.g. ``["mean", "max"]``, concatenated); a linear layer maps to ``out_channels``.

    Patches follow the message order: ``index`` must be sorted (or ``ptr`` given). Zero
    for a destination with no messages (before the output layer's bias: exactly zero).
    """

    requires_sorted_index = True

    def __init__(self, in_channels: int, out_channels: int, patch_size: int, hidden_channels: int,
                 num_transformer_blocks: int = 1, heads: int = 1, dropout: float = 0.0,
                 aggr: str | list[str] = "mean"):
        super().__init__()
        if patch_size < 1:
            raise ValueError(f"PatchTransformerAggregation: patch_size must be >= 1, got {patch_size}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.patch_size, self.hidden_channels = patch_size, hidden_channels
        self.aggr_names = [aggr] if isinstance(aggr, str) else list(aggr)
        self.lin_in = torch.nn.Linear(patch_size * in_channels, hidden_channels)
        self.blocks = torch.nn.ModuleList(
            [_MultiheadBlock(hidden_channels, heads, True, dropout) for _ in range(num_transformer_blocks)])
        self.aggrs = torch.nn.ModuleList([resolve_aggregation(a) for a in self.aggr_names])
        self.lin_out = torch.nn.Linear(len(self.aggrs) * hidden_channels, out_channels)

    def reset_parameters(self) -> None:
        for module in self.modules():
            if module is not self and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size = prepare_rows(self, x, self.in_channels, index, ptr, dim_size, dim)
        dense, mask, counts = to_dense(x, index, dim_size, 0, sort=False)
        pad = -dense.size(1) % self.patch_size
        if pad:
            dense = torch.cat([dense, dense.new_zeros(dim_size, pad, dense.size(2))], 1)
            mask = torch.cat([mask, mask.new_zeros(dim_size, pad)], 1)
        num_patches = dense.size(1) // self.patch_size
        patches = self.lin_in(dense.reshape(dim_size, num_patches, -1))
        patch_mask = mask.view(dim_size, num_patches, self.patch_size).any(-1)
        for block in self.blocks:
            patches = block(patches, patches, patch_mask)
        rows = patches[patch_mask]
        owner = torch.arange(dim_size, device=x.device).unsqueeze(1).expand_as(patch_mask)[patch_mask]
        out = torch.cat([aggr(rows, owner, dim_size=dim_size) for aggr in self.aggrs], dim=-1)
        return self.lin_out(out) * (counts > 0).unsqueeze(-1).to(out.dtype)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"patch_size={self.patch_size}, aggr={self.aggr_names})")
