"""The BasicGNN models: GCN, GraphSAGE, GIN, GAT, PNA and EdgeCNN."""

from __future__ import annotations

from typing import Any

from ..conv import EdgeConv, GATConv, GATv2Conv, GCNConv, GINConv, PNAConv, SAGEConv
from .basic_gnn import BasicGNN


class GCN(BasicGNN):
    """Stacked :class:`~geode_core.nn.GCNConv` layers (accepts ``edge_weight``)."""

    supports_edge_weight = True

    def init_conv(self, in_channels, out_channels, last_to_out=False, **kwargs: Any):
        return GCNConv(in_channels, out_channels, **kwargs)


class GraphSAGE(BasicGNN):
    """Stacked :class:`~geode_core.nn.SAGEConv` layers."""

    def init_conv(self, in_channels, out_channels, last_to_out=False, **kwargs: Any):
        return SAGEConv(in_channels, out_channels, **kwargs)


class GIN(BasicGNN):
    """Stacked :class:`~geode_core.nn.GINConv` layers, each with a two-layer :class:`MLP`."""

    def init_conv(self, in_channels, out_channels, last_to_out=False, **kwargs: Any):
        return GINConv(self.mlp([in_channels, out_channels, out_channels]), **kwargs)


class GAT(BasicGNN):
    """Stacked :class:`~geode_core.nn.GATConv` (``v2=True``: ``GATv2Conv``) layers.

    With ``concat`` (default) each conv has ``heads`` heads of ``hidden_channels // heads``
    channels; the last conv to ``out_channels`` averages its heads. Accepts ``edge_attr``.
    """

    supports_edge_attr = True

    def init_conv(self, in_channels, out_channels, last_to_out=False, **kwargs: Any):
        kwargs = dict(kwargs)
        v2 = kwargs.pop("v2", False)
        heads = kwargs.pop("heads", 1)
        concat = kwargs.pop("concat", True) and not last_to_out
        if concat:
            if out_channels % heads != 0:
                raise ValueError(f"GAT: out channels ({out_channels}) must be divisible by heads ({heads})")
            out_channels //= heads
        cls = GATv2Conv if v2 else GATConv
        return cls(in_channels, out_channels, heads=heads, concat=concat, **kwargs)


class PNA(BasicGNN):
    """Stacked :class:`~geode_core.nn.PNAConv` layers (pass ``aggregators``, ``scalers``, ``deg``)."""

    supports_edge_attr = True

    def init_conv(self, in_channels, out_channels, last_to_out=False, **kwargs: Any):
        return PNAConv(in_channels, out_channels, **kwargs)


class EdgeCNN(BasicGNN):
    """Stacked :class:`~geode_core.nn.EdgeConv` layers, each with an :class:`MLP` on ``[x_i, x_j - x_i]``."""

    def init_conv(self, in_channels, out_channels, last_to_out=False, **kwargs: Any):
        return EdgeConv(self.mlp([2 * in_channels, out_channels, out_channels]), **kwargs)
