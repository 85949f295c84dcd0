"""Graph Multiset Transformer: attention pooling onto k seeds, self-attention, one seed."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare_rows, to_dense
from .set_transformer import _MultiheadBlock


class _Pool(torch.nn.Module):
    """Pooling by multi-head attention onto ``num_seeds`` learnable seed vectors."""

    def __init__(self, channels: int, num_seeds: int, heads: int, layer_norm: bool, dropout: float):
        super().__init__()
        self.seed = torch.nn.Parameter(torch.empty(1, num_seeds, channels))
        self.lin = torch.nn.Linear(channels, channels)
        self.block = _MultiheadBlock(channels, heads, layer_norm, dropout)

    def forward(self, x: Tensor, mask: Tensor | None = None) -> Tensor:
        return self.block(self.seed.expand(x.size(0), -1, -1), torch.relu(self.lin(x)), mask)


class GraphMultisetTransformer(Aggregation):
    """Graph Multiset Transformer: each destination's messages are pooled by multi-head
    attention onto ``k`` learnable seeds, ``num_encoder_blocks`` self-attention blocks run
    over the ``k`` pooled vectors, and a last attention pooling onto one seed gives the
    ``[dim_size, channels]`` output.

    Permutation invariant (padding is masked). Zero for a destination with no messages.
    Needs the largest number of messages per destination (one device sync).
    """

    def __init__(self, channels: int, k: int, num_encoder_blocks: int = 1, heads: int = 1,
                 layer_norm: bool = False, dropout: float = 0.0):
        super().__init__()
        if k < 1:
            raise ValueError(f"GraphMultisetTransformer: k must be >= 1, got {k}")
        self.channels, self.k, self.heads = channels, k, heads
        self.pool_k = _Pool(channels, k, heads, layer_norm, dropout)
        self.encoders = torch.nn.ModuleList(
            [_MultiheadBlock(channels, heads, layer_norm, dropout) for _ in range(num_encoder_blocks)])
        self.pool_1 = _Pool(channels, 1, heads, layer_norm, dropout)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for pool in (self.pool_k, self.pool_1):
            torch.nn.init.xavier_uniform_(pool.seed)
        for module in self.modules():
            if isinstance(module, (torch.nn.Linear, torch.nn.LayerNorm)):
                module.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size = prepare_rows(self, x, self.channels, index, ptr, dim_size, dim)
        dense, mask, counts = to_dense(x, index, dim_size, 0)
        out = self.pool_k(dense, mask)
        for block in self.encoders:
            out = block(out, out)
        out = self.pool_1(out).squeeze(1)
        return out * (counts > 0).unsqueeze(-1).to(out.dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.channels}, k={self.k}, heads={self.heads})"
