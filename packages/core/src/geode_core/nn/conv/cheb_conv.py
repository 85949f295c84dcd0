"""ChebConv: Chebyshev spectral graph convolution (Defferrard et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.utils.scatter import scatter

from ._utils import derived_adjacency, linear, ones, reset_lins_and_bias, with_self_loops
from .linear_propagation import LinearPropagation

NORMALIZATIONS = (None, "sym", "rw")


def scaled_laplacian(edge_index: Tensor, edge_weight: Tensor | None, num_nodes: int,
                     normalization: str | None, lambda_max: Tensor, dtype) -> tuple[Tensor, Tensor]:
    """``2 L / lambda_max - I`` as ``(edge_index, weight)``; existing self-loops are ignored.

    ``L`` is ``D - A`` (``None``), ``I - D^-1/2 A D^-1/2`` (``"sym"``) or ``I - D^-1 A``
    (``"rw"``), with ``D`` the weighted in-degree. ``lambda_max`` is a scalar tensor or one
    value per node (of the graph each node belongs to).
    """
    weight = edge_weight.to(dtype) if edge_weight is not None else ones(edge_index, dtype)
    src, dst = edge_index[0], edge_index[1]
    weight = torch.where(src == dst, torch.zeros_like(weight), weight)
    deg = scatter(weight, dst, dim=0, dim_size=num_nodes, reduce="sum")
    if normalization == "sym":
        inv = deg.pow(-0.5).masked_fill(deg == 0, 0.0)
        off = -inv.index_select(0, src) * weight * inv.index_select(0, dst)
        diag = torch.ones_like(deg)
    elif normalization == "rw":
        inv = deg.reciprocal().masked_fill(deg == 0, 0.0)
        off = -weight * inv.index_select(0, dst)
        diag = torch.ones_like(deg)
    else:
        off, diag = -weight, deg
    scale = 2.0 / lambda_max.to(dtype)
    per_node = scale.expand(num_nodes) if scale.dim() == 0 else scale
    off = off * per_node.index_select(0, dst)
    return with_self_loops(edge_index, off, diag * per_node - 1.0)


class ChebConv(LinearPropagation):
    """``X' = sum_{k<K} T_k(L̂) X W_k + b`` with ``T_0 = X``, ``T_1 = L̂ X``, ``T_k = 2 L̂ T_{k-1} - T_{k-2}``.

    ``L̂ = 2 L / lambda_max - I`` (see :func:`scaled_laplacian`). Args follow PyG:
    ``in_channels``, ``out_channels``, ``K`` (>= 1), ``normalization`` (``None``, ``"sym"``,
    ``"rw"``), ``bias``. ``forward(x, edge_index, edge_weight=None, batch=None,
    lambda_max=None)``: ``lambda_max`` defaults to 2 for ``"sym"``/``"rw"`` and is required
    without normalisation; a tensor gives one value per graph of ``batch``.
    """

    appends_self_loops = True  # the Laplacian's diagonal

    def __init__(self, in_channels: int, out_channels: int, K: int, normalization: str | None = "sym",
                 bias: bool = True, **kwargs):
        kwargs.setdefault("aggr", "add")
        super().__init__(**kwargs)
        if K <= 0:
            raise ValueError(f"ChebConv: K must be at least 1, got {K}")
        if normalization not in NORMALIZATIONS:
            raise ValueError(f"ChebConv: normalization must be one of {NORMALIZATIONS}, got {normalization!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.K, self.normalization = K, normalization
        self.lins = torch.nn.ModuleList([linear(in_channels, out_channels, bias=False) for _ in range(K)])
        self.bias = torch.nn.Parameter(torch.zeros(out_channels)) if bias else None

    def reset_parameters(self) -> None:
        reset_lins_and_bias(self.lins, self.bias)

    def forward(self, x: Tensor, edge_index, edge_weight: Tensor | None = None,
                batch: Tensor | None = None, lambda_max=None) -> Tensor:
        if lambda_max is None:
            if self.normalization is None:
                raise ValueError("ChebConv: lambda_max is required when normalization is None")
            lambda_max = 2.0
        n = x.size(0)
        lam = torch.as_tensor(lambda_max, dtype=x.dtype, device=x.device)
        if lam.dim() > 0 and lam.numel() > 1:
            if batch is None:
                raise ValueError("ChebConv: lambda_max with one value per graph needs batch")
            lam = lam.index_select(0, batch)
        elif lam.dim() > 0:
            lam = lam.reshape(())

        def build(raw, weight):
            return scaled_laplacian(raw, weight, n, self.normalization, lam, x.dtype)

        cacheable = isinstance(lambda_max, (int, float))
        key = ("cheb", self.normalization, float(lambda_max), x.dtype) if cacheable else None
        adj = derived_adjacency(edge_index, edge_weight, n, key, build, self.flow)
        out = self.lins[0](x)
        if self.K > 1:
            tx0, tx1 = x, self.spread(x, adj)
            out = out + self.lins[1](tx1)
            for lin in self.lins[2:]:
                tx0, tx1 = tx1, 2 * self.spread(tx1, adj) - tx0
                out = out + lin(tx1)
        if self.bias is not None:
            out = out + self.bias
        return out

    def __repr__(self) -> str:
        return (f"ChebConv({self.in_channels}, {self.out_channels}, K={self.K}, "
                f"normalization={self.normalization!r})")
