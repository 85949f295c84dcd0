"""Set2Set: iterative content-based attention read-out with an LSTM controller."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare, seg_softmax, seg_sum


class Set2Set(Aggregation):
    r"""Set2Set read-out: ``processing_steps`` rounds of

    :math:`q_t = \mathrm{LSTM}(q^*_{t-1})`, :math:`a_i = \mathrm{softmax}_i(x_i \cdot q_t)`,
    :math:`r_t = \sum_i a_i x_i`, :math:`q^*_t = [q_t \,\|\, r_t]`.

    Output ``[dim_size, 2 * in_channels]``. Permutation invariant. A destination with no
    messages reads :math:`r_t = 0` (its :math:`q_t` part still comes from the LSTM state).
    """

    def __init__(self, in_channels: int, processing_steps: int, **kwargs):
        super().__init__()
        if processing_steps < 1:
            raise ValueError(f"Set2Set: processing_steps must be >= 1, got {processing_steps}")
        self.in_channels = in_channels
        self.out_channels = 2 * in_channels
        self.processing_steps = processing_steps
        kwargs.pop("batch_first", None)
        self.lstm = torch.nn.LSTM(self.out_channels, in_channels, batch_first=True, **kwargs)

    def reset_parameters(self) -> None:
        self.lstm.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        if x.dim() != 2 or x.size(-1) != self.in_channels:
            raise ValueError(f"Set2Set: x must be [num_messages, {self.in_channels}], got shape "
                             f"{tuple(x.shape)}")
        index, dim_size, dim = prepare("Set2Set", x, index, ptr, dim_size, dim)
        if dim != 0:
            raise ValueError(f"Set2Set: messages must lie along dim 0 (-2), got dim={dim}")
        layers = self.lstm.num_layers
        h = (x.new_zeros(layers, dim_size, self.in_channels),
             x.new_zeros(layers, dim_size, self.in_channels))
        q_star = x.new_zeros(dim_size, self.out_channels)
        for _ in range(self.processing_steps):
            q, h = self.lstm(q_star.unsqueeze(1), h)
            q = q.squeeze(1)
            e = (x * q.index_select(0, index)).sum(dim=-1, keepdim=True)
            a = seg_softmax(e, index, dim_size, 0)
            r = seg_sum(a * x, index, dim_size, 0)
            q_star = torch.cat([q, r], dim=-1)
        return q_star

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels})"
