"""Recurrent aggregations (LSTM, GRU): order-dependent, they read each destination's messages in order."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import check_sorted, prepare, to_dense


class _Recurrent(Aggregation):
    requires_sorted_index = True
    rnn_cls: type = torch.nn.LSTM

    def __init__(self, in_channels: int, out_channels: int, **kwargs):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        kwargs.pop("batch_first", None)
        self.rnn = self.rnn_cls(in_channels, out_channels, batch_first=True, **kwargs)

    def reset_parameters(self) -> None:
        self.rnn.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        name = type(self).__name__
        if x.dim() != 2:
            raise ValueError(f"{name}: x must be 2-D [num_messages, in_channels], got shape "
                             f"{tuple(x.shape)}")
        if x.size(-1) != self.in_channels:
            raise ValueError(f"{name}: x has {x.size(-1)} channels, expected in_channels="
                             f"{self.in_channels}")
        given_index = index is not None
        index, dim_size, dim = prepare(name, x, index, ptr, dim_size, dim)
        if dim != 0:
            raise ValueError(f"{name}: messages must lie along dim 0 (-2), got dim={dim}")
        if given_index:
            check_sorted(name, index)
        dense, _, counts = to_dense(x, index, dim_size, 0, sort=False)
        if getattr(self.rnn, "bidirectional", False):
            lengths = counts.clamp(min=1).cpu()
            packed = torch.nn.utils.rnn.pack_padded_sequence(dense, lengths, batch_first=True,
                                                             enforce_sorted=False)
            _, hidden = self.rnn(packed)
            h = hidden[0] if isinstance(hidden, tuple) else hidden
            out = torch.cat([h[-2], h[-1]], dim=-1)
        else:
            # One pass over the padded batch (torch's fused kernel); the state after each
            # destination's last real message is its output there, untouched by the padding after it.
            seq, _ = self.rnn(dense)
            last = (counts - 1).clamp(min=0)
            out = seq[torch.arange(dim_size, device=seq.device), last]
        return out * (counts > 0).unsqueeze(-1).to(out.dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels})"


class LSTMAggregation(_Recurrent):
    """The final LSTM state after reading each destination's messages in order.

    Order-dependent: ``index`` must be sorted (or give ``ptr``); an unsorted ``index`` raises
    ``ValueError``. Output ``[dim_size, out_channels]``; zero for a destination with no
    messages. Extra keyword arguments go to :class:`torch.nn.LSTM`.
    """

    rnn_cls = torch.nn.LSTM


class GRUAggregation(_Recurrent):
    """The final GRU state after reading each destination's messages in order.

    Order-dependent: ``index`` must be sorted (or give ``ptr``); an unsorted ``index`` raises
    ``ValueError``. Output ``[dim_size, out_channels]``; zero for a destination with no
    messages. Extra keyword arguments go to :class:`torch.nn.GRU`.
    """

    rnn_cls = torch.nn.GRU
