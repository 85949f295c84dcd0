"""Set Transformer aggregation: self-attention blocks over each destination's messages, then
pooling by multi-head attention onto learnable seed points."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare_rows, to_dense


class _MultiheadBlock(torch.nn.Module):
    """``MAB(X, Y) = N(H + relu(W H))`` with ``H = N(X + Attention(X, Y, Y))``.

    ``mask`` (``[B, L_y]``, True = a real element) hides padding keys. A row whose keys are
    all hidden attends uniformly to padding instead of producing NaN; callers zero it.
    """

    def __init__(self, channels: int, heads: int, layer_norm: bool, dropout: float):
        super().__init__()
        if channels % heads != 0:
            raise ValueError(f"SetTransformerAggregation: channels={channels} must be divisible "
                             f"by heads={heads}")
        self.heads = heads
        self.lin_q = torch.nn.Linear(channels, channels)
        self.lin_k = torch.nn.Linear(channels, channels)
        self.lin_v = torch.nn.Linear(channels, channels)
        self.lin_out = torch.nn.Linear(channels, channels)
        self.ff = torch.nn.Linear(channels, channels)
        self.norm1 = torch.nn.LayerNorm(channels) if layer_norm else torch.nn.Identity()
        self.norm2 = torch.nn.LayerNorm(channels) if layer_norm else torch.nn.Identity()
        self.dropout = torch.nn.Dropout(dropout)

    def forward(self, x: Tensor, y: Tensor, mask: Tensor | None = None) -> Tensor:
        b, lq, c = x.shape
        lk = y.size(1)
        h, d = self.heads, c // self.heads
        q = self.lin_q(x).view(b, lq, h, d).transpose(1, 2)
        k = self.lin_k(y).view(b, lk, h, d).transpose(1, 2)
        v = self.lin_v(y).view(b, lk, h, d).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d)
        if mask is not None:
            scores = scores.masked_fill(~mask[:, None, None, :], torch.finfo(scores.dtype).min)
        attn = self.dropout(torch.softmax(scores, dim=-1))
        out = (attn @ v).transpose(1, 2).reshape(b, lq, c)
        hidden = self.norm1(x + self.lin_out(out))
        return self.norm2(hidden + torch.relu(self.ff(hidden)))


class SetTransformerAggregation(Aggregation):
    """Set Transformer aggregation: ``num_encoder_blocks`` self-attention blocks over the
    messages of each destination, pooling by multi-head attention onto ``num_seed_points``
    learnable seeds, then ``num_decoder_blocks`` self-attention blocks over the seeds.

    ``x`` is ``[num_messages, channels]``; the output is ``[dim_size, num_seed_points *
    channels]`` with ``concat=True`` or ``[dim_size, channels]`` (mean over the seeds)
    otherwise. Permutation invariant (padding is masked). Zero for a destination with no
    messages. Needs the largest number of messages per destination (one device sync).
    """

    def __init__(self, channels: int, num_seed_points: int = 1, num_encoder_blocks: int = 1,
                 num_decoder_blocks: int = 1, heads: int = 1, concat: bool = True,
                 layer_norm: bool = False, dropout: float = 0.0):
        super().__init__()
        if num_seed_points < 1:
            raise ValueError(f"SetTransformerAggregation: num_seed_points must be >= 1, got "
                             f"{num_seed_points}")
        self.channels = channels
        self.num_seed_points = num_seed_points
        self.heads = heads
        self.concat = concat
        self.encoders = torch.nn.ModuleList(
            [_MultiheadBlock(channels, heads, layer_norm, dropout)
             for _ in range(num_encoder_blocks)])
        self.seed = torch.nn.Parameter(torch.empty(1, num_seed_points, channels))
        self.pool_ff = torch.nn.Linear(channels, channels)
        self.pool = _MultiheadBlock(channels, heads, layer_norm, dropout)
        self.decoders = torch.nn.ModuleList(
            [_MultiheadBlock(channels, heads, layer_norm, dropout)
             for _ in range(num_decoder_blocks)])
        self.reset_parameters()

    def reset_parameters(self) -> None:
        torch.nn.init.xavier_uniform_(self.seed)
        for module in self.modules():
            if module is not self and isinstance(module, (torch.nn.Linear, torch.nn.LayerNorm)):
                module.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size = prepare_rows(self, x, self.channels, index, ptr, dim_size, dim)
        dense, mask, counts = to_dense(x, index, dim_size, 0)
        for block in self.encoders:
            dense = block(dense, dense, mask)
        seeds = self.seed.expand(dim_size, -1, -1)
        out = self.pool(seeds, torch.relu(self.pool_ff(dense)), mask)
        for block in self.decoders:
            out = block(out, out)
        out = out.reshape(dim_size, -1) if self.concat else out.mean(dim=1)
        return out * (counts > 0).unsqueeze(-1).to(out.dtype)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.channels}, num_seed_points={self.num_seed_points}, "
                f"heads={self.heads})")
