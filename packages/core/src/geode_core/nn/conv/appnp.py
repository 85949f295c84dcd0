"""APPNP: approximate personalised-PageRank propagation (Gasteiger et al.)."""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor

from .linear_propagation import LinearPropagation


class APPNP(LinearPropagation):
    """``X^(0) = X``, ``X^(k) = (1 - alpha) Â X^(k-1) + alpha X`` for ``K`` steps.

    ``Â = D^-1/2 (A + I) D^-1/2``. Args follow PyG: ``K``, ``alpha``, ``dropout`` (on the
    normalised edge weights, in training), ``cached``, ``add_self_loops``, ``normalize``.
    """

    def __init__(self, K: int, alpha: float, dropout: float = 0.0, cached: bool = False,
                 add_self_loops: bool = True, normalize: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.K, self.alpha, self.dropout = K, alpha, dropout
        self.cached, self.add_self_loops, self.normalize = cached, add_self_loops, normalize
        self._cached_adj = None

    def reset_parameters(self) -> None:
        self._cached_adj = None

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None) -> Tensor:
        adj = self.transductive_gcn_adjacency(edge_index, edge_weight, x)
        h = x
        for _ in range(self.K):
            step = adj
            if self.dropout > 0 and self.training:
                weight = adj.edge_weight if adj.edge_weight is not None else \
                    x.new_ones(adj.num_edges)
                step = adj.with_value(F.dropout(weight, p=self.dropout))
            h = (1 - self.alpha) * self.spread(h, step) + self.alpha * x
        return h

    def __repr__(self) -> str:
        return f"APPNP(K={self.K}, alpha={self.alpha})"
