"""Sort aggregation (SortPool): the top-``k`` messages by their last channel."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import dense_slots, is_sorted, prepare


class SortAggregation(Aggregation):
    """Keeps the ``k`` messages with the largest last channel, in descending order, flattened.

    ``x`` must be 2-D ``[num_messages, F]`` with ``dim=-2``/``0``; the output is
    ``[dim_size, k * F]``. Destinations with fewer than ``k`` messages are padded with zeros
    (so an empty destination is all zeros). Ties keep the input order.
    """

    def __init__(self, k: int):
        super().__init__()
        if int(k) < 1:
            raise ValueError(f"SortAggregation: k must be >= 1, got {k}")
        self.k = int(k)

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        if x.dim() != 2:
            raise ValueError(f"SortAggregation: x must be 2-D [num_messages, channels], "
                             f"got shape {tuple(x.shape)}")
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        if dim != 0:
            raise ValueError(f"SortAggregation: messages must lie along dim 0 (-2), got dim={dim}")
        # Rank by the last channel in a [dim_size, max_num] layout of keys only, then gather
        # the k chosen rows: no padded copy of all the messages.
        msg_id = torch.arange(index.numel(), device=index.device)
        if not is_sorted(index):
            index, msg_id = torch.sort(index, stable=True)
        slot, _, _, max_num = dense_slots(index, dim_size)
        flat = dim_size * max_num
        key = x.new_full((flat,), float("-inf")).index_copy(0, slot, x.detach()[msg_id, -1])
        order = key.view(dim_size, max_num).argsort(dim=1, descending=True, stable=True)
        order = order[:, : self.k]
        chosen = msg_id.new_full((flat,), -1).index_copy(0, slot, msg_id).view(dim_size, max_num)
        chosen = chosen.gather(1, order)
        rows = x.index_select(0, chosen.clamp(min=0).flatten()).view(*chosen.shape, x.size(-1))
        rows = torch.where((chosen >= 0).unsqueeze(-1), rows, torch.zeros((), dtype=x.dtype))
        if rows.size(1) < self.k:
            pad = rows.new_zeros(dim_size, self.k - rows.size(1), rows.size(-1))
            rows = torch.cat([rows, pad], dim=1)
        return rows.reshape(dim_size, self.k * x.size(-1))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(k={self.k})"
