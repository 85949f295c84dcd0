"""ClusterGCNConv: the layer of Cluster-GCN (Chiang et al.) with diagonal enhancement."""

from __future__ import annotations

from torch import Tensor

from geode_core.utils.scatter import scatter

from ._utils import derived_adjacency, linear, with_self_loops
from .linear_propagation import LinearPropagation


def cluster_gcn_norm(edge_index: Tensor, num_nodes: int, diag_lambda: float, dtype):
    """``Â + lambda diag(Â)`` with ``Â = (D + I)^-1 (A + I)``; existing self-loops are replaced."""
    is_loop = edge_index[0] == edge_index[1]
    weight = (~is_loop).to(dtype)
    inv = (scatter(weight, edge_index[1], dim=0, dim_size=num_nodes, reduce="sum") + 1).reciprocal()
    off = weight * inv.index_select(0, edge_index[1])
    return with_self_loops(edge_index, off, (1 + diag_lambda) * inv)


class ClusterGCNConv(LinearPropagation):
    """``X' = (Â + lambda diag(Â)) X W_1 + X W_2``, ``Â = (D + I)^-1 (A + I)``.

    Args follow PyG: ``in_channels``, ``out_channels``, ``diag_lambda``, ``add_self_loops``
    (kept for compatibility; the normalisation always includes the loops), ``bias``.
    """

    def __init__(self, in_channels: int, out_channels: int, diag_lambda: float = 0.0,
                 add_self_loops: bool = True, bias: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.diag_lambda, self.add_self_loops = diag_lambda, add_self_loops
        self.lin_out = linear(in_channels, out_channels, bias=bias)
        self.lin_root = linear(in_channels, out_channels, bias=False)

    def reset_parameters(self) -> None:
        self.lin_out.reset_parameters()
        self.lin_root.reset_parameters()

    def forward(self, x: Tensor, edge_index) -> Tensor:
        n = x.size(0)

        def build(raw, _weight):
            return cluster_gcn_norm(raw, n, self.diag_lambda, x.dtype)

        key = ("cluster_gcn", self.diag_lambda, x.dtype)
        adj = derived_adjacency(edge_index, None, n, key, build, self.flow)
        return self.lin_out(self.spread(x, adj)) + self.lin_root(x)

    def __repr__(self) -> str:
        return f"ClusterGCNConv({self.in_channels}, {self.out_channels}, diag_lambda={self.diag_lambda})"
