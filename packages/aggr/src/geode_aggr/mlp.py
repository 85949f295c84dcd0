"""MLP aggregation: an MLP over each destination's messages, concatenated in order."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import fail_if, prepare_rows, to_dense


class MLPAggregation(Aggregation):
    """Concatenates up to ``max_num_elements`` messages per destination (zero-padded, in
    order) into ``[dim_size, max_num_elements * in_channels]`` and applies an MLP.

    Order-dependent: ``index`` must be sorted (or give ``ptr``). More than
    ``max_num_elements`` messages at one destination raises ``ValueError`` (nothing is
    silently dropped). Keyword arguments: ``hidden_channels`` (default ``out_channels``),
    ``num_layers`` (default 2), ``dropout`` (default 0.0).
    """

    requires_sorted_index = True

    def __init__(self, in_channels: int, out_channels: int, max_num_elements: int,
                 hidden_channels: int | None = None, num_layers: int = 2, dropout: float = 0.0):
        super().__init__()
        if num_layers < 1:
            raise ValueError(f"MLPAggregation: num_layers must be >= 1, got {num_layers}")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.max_num_elements = max_num_elements
        hidden = hidden_channels or out_channels
        sizes = [in_channels * max_num_elements] + [hidden] * (num_layers - 1) + [out_channels]
        layers: list[torch.nn.Module] = []
        for i in range(num_layers):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < num_layers - 1:
                layers.append(torch.nn.ReLU())
                if dropout > 0:
                    layers.append(torch.nn.Dropout(dropout))
        self.mlp = torch.nn.Sequential(*layers)

    def reset_parameters(self) -> None:
        for sub in self.mlp.modules():
            if hasattr(sub, "reset_parameters") and sub is not self.mlp:
                sub.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        name = type(self).__name__
        index, dim_size = prepare_rows(self, x, self.in_channels, index, ptr, dim_size, dim)
        dense, _, counts = to_dense(x, index, dim_size, 0, sort=False,
                                    max_num=self.max_num_elements)
        if counts.numel():
            fail_if(counts.max() > self.max_num_elements,
                    lambda: f"{name}: a destination has {int(counts.max())} messages, more than "
                            f"max_num_elements={self.max_num_elements}")
        return self.mlp(dense.reshape(dim_size, -1))

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"max_num_elements={self.max_num_elements})")
