"""Sort aggregation (SortPool): the top-``k`` messages by their last channel."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare, to_dense


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
        dense, mask, _ = to_dense(x, index, dim_size, 0)
        key = dense[..., -1].masked_fill(~mask, float("-inf"))
        order = key.argsort(dim=1, descending=True, stable=True)
        dense = dense.gather(1, order.unsqueeze(-1).expand_as(dense))
        mask = mask.gather(1, order)
        dense = dense.masked_fill(~mask.unsqueeze(-1), 0.0)
        num = dense.size(1)
        if num >= self.k:
            dense = dense[:, : self.k]
        else:
            pad = dense.new_zeros(dim_size, self.k - num, dense.size(-1))
            dense = torch.cat([dense, pad], dim=1)
        return dense.reshape(dim_size, self.k * x.size(-1))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(k={self.k})"
