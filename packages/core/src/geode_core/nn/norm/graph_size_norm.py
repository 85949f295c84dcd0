"""GraphSizeNorm: divide node features by the square root of their graph's size."""

from __future__ import annotations

import torch
from torch import Tensor

from ._graphwise import node_counts, num_graphs


class GraphSizeNorm(torch.nn.Module):
    """``x_i' = x_i / sqrt(|V_G|)`` for the graph ``G`` of node ``i``."""

    def reset_parameters(self) -> None:
        """GraphSizeNorm has no parameters."""

    def forward(self, x: Tensor, batch: Tensor | None = None, batch_size: int | None = None) -> Tensor:
        counts = node_counts(x, batch, num_graphs(batch, batch_size))
        inv = counts.rsqrt()
        inv = inv if batch is None else inv.index_select(0, batch)
        return x * inv.view(-1, *([1] * (x.dim() - 1)))

    def __repr__(self) -> str:
        return "GraphSizeNorm()"
