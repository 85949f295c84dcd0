"""Learnable commutative monoid aggregation: a balanced binary tree of a learned commutative
binary operator over each destination's messages."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare_rows, to_dense


class LCMAggregation(Aggregation):
    r"""Learnable commutative monoid (LCM) aggregation.

    The messages of a destination (projected to ``out_channels`` by a linear layer when
    ``project``) are combined pairwise, ``(x_1, x_2), (x_3, x_4), ...``, level by level until
    one vector is left; an odd last element passes to the next level unchanged. The binary
    operator is the commutative :math:`a \oplus b = \frac{1}{2}(\mathrm{GRU}(a, b) +
    \mathrm{GRU}(b, a))` of a ``GRUCell``. ``O(log n)`` sequential depth.

    The operator is commutative but not associative, so the result depends on the order of
    the messages: ``index`` must be sorted (or ``ptr`` given). Zero for a destination with
    no messages.
    """

    requires_sorted_index = True

    def __init__(self, in_channels: int, out_channels: int, project: bool = True):
        super().__init__()
        if not project and in_channels != out_channels:
            raise ValueError(f"LCMAggregation: project=False needs in_channels == out_channels, "
                             f"got {in_channels} and {out_channels}")
        self.in_channels, self.out_channels, self.project = in_channels, out_channels, project
        self.lin = torch.nn.Linear(in_channels, out_channels) if project else None
        self.gru = torch.nn.GRUCell(out_channels, out_channels)

    def reset_parameters(self) -> None:
        if self.lin is not None:
            self.lin.reset_parameters()
        self.gru.reset_parameters()

    def combine(self, a: Tensor, b: Tensor) -> Tensor:
        """The commutative binary operator on ``[N, out_channels]`` pairs."""
        return 0.5 * (self.gru(a, b) + self.gru(b, a))

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size = prepare_rows(self, x, self.in_channels, index, ptr, dim_size, dim)
        if self.lin is not None:
            x = self.lin(x)
        dense, mask, counts = to_dense(x, index, dim_size, 0, sort=False)
        while dense.size(1) > 1:
            if dense.size(1) % 2:
                dense = torch.cat([dense, dense.new_zeros(dense.size(0), 1, dense.size(2))], 1)
                mask = torch.cat([mask, mask.new_zeros(mask.size(0), 1)], 1)
            left, right = dense[:, 0::2], dense[:, 1::2]
            m_left, m_right = mask[:, 0::2], mask[:, 1::2]
            # combine only the pairs where both sides hold a message; a lone side passes through
            pairs = (m_left & m_right).flatten().nonzero().squeeze(1)
            width = left.size(-1)
            kept = torch.where(m_left.unsqueeze(-1), left, right).reshape(-1, width)
            both = self.combine(left.reshape(-1, width).index_select(0, pairs),
                                right.reshape(-1, width).index_select(0, pairs))
            dense = kept.index_copy(0, pairs, both).view_as(left)
            mask = m_left | m_right
        out = dense[:, 0]
        return out * (counts > 0).unsqueeze(-1).to(out.dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels}, project={self.project})"
