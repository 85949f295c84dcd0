"""LGConv: the LightGCN propagation (He et al.)."""

from __future__ import annotations

from torch import Tensor

from .linear_propagation import LinearPropagation


class LGConv(LinearPropagation):
    """``X' = D^-1/2 A D^-1/2 X`` (no self-loops, no weights); ``normalize=False`` gives ``A X``."""

    def __init__(self, normalize: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.normalize = normalize

    def reset_parameters(self) -> None:
        """LGConv has no parameters."""

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        adj = self.gcn_adjacency(edge_index, edge_weight, x.size(0), x.dtype,
                                 add_self_loops=False, normalize=self.normalize)
        return self.spread(x, adj)

    def __repr__(self) -> str:
        return "LGConv()"
