"""Recurrent aggregations (LSTM, GRU): order-dependent, they read each destination's messages in order."""

from __future__ import annotations

import bisect
import itertools

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import check_sorted, dense_slots, prepare, to_dense

#: quantiles of the destinations' message counts where a new time window starts
_WINDOWS = (0.1, 0.25, 0.5, 0.75, 0.9)


def _first(state, n: int):
    """The recurrent state of the first ``n`` sequences (LSTM: a pair, GRU: one tensor)."""
    if isinstance(state, tuple):
        return tuple(s[:, :n].contiguous() for s in state)
    return state[:, :n].contiguous()


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
        if getattr(self.rnn, "bidirectional", False):
            dense, _, counts = to_dense(x, index, dim_size, 0, sort=False)
            lengths = counts.clamp(min=1).cpu()
            packed = torch.nn.utils.rnn.pack_padded_sequence(dense, lengths, batch_first=True,
                                                             enforce_sorted=False)
            _, hidden = self.rnn(packed)
            h = hidden[0] if isinstance(hidden, tuple) else hidden
            out = torch.cat([h[-2], h[-1]], dim=-1)
        else:
            out, counts = self._by_length(x, index, dim_size)
        return out * (counts > 0).unsqueeze(-1).to(out.dtype)

    def _by_length(self, x: Tensor, index: Tensor, dim_size: int) -> tuple[Tensor, Tensor]:
        """The state after each destination's last message, and the message counts.

        Destinations are laid out longest first and read in a few time windows, each one
        call of torch's fused kernel over the destinations still running (their state carried
        over): close to one step per message, where a single padded pass would run every
        destination for as many steps as the longest has messages.
        """
        _, pos, counts, max_num = dense_slots(index, dim_size)
        width = getattr(self.rnn, "proj_size", 0) or self.rnn.hidden_size
        if index.numel() == 0:
            return x.new_zeros(dim_size, width), counts
        order = torch.argsort(counts, descending=True, stable=True)
        rank = torch.empty_like(order).index_copy_(0, order, torch.arange(dim_size, device=order.device))
        dense = x.new_zeros(dim_size * max_num, x.size(-1)).index_copy(
            0, rank[index] * max_num + pos, x).view(dim_size, max_num, x.size(-1))
        lengths = counts[order].tolist()  # descending

        def longer_than(n: int) -> int:  # how many destinations have more than n messages
            return bisect.bisect_left(lengths, -n, key=lambda m: -m)

        bounds = sorted({0, max_num, *(lengths[int(q * (dim_size - 1))] for q in _WINDOWS)})
        pieces, state = [], None
        for start, end in itertools.pairwise(bounds):
            running, finished = longer_than(start), longer_than(end)
            if state is not None:
                state = _first(state, running)
            seq, state = self.rnn(dense[:running, start:end], state)
            if finished < running:  # destinations whose last message lies in this window
                steps = counts[order[finished:running]] - 1 - start
                pieces.append(seq[torch.arange(finished, running, device=seq.device), steps])
        pieces.append(x.new_zeros(dim_size - longer_than(0), width))  # destinations without messages
        return torch.cat([*pieces[-2::-1], pieces[-1]]).index_select(0, rank), counts

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
