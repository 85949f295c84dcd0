"""Heterogeneous GNNs: to_hetero, HeteroConv, typed linear layers and relational convolutions."""

__version__ = "0.1.0"

__all__: list[str] = []
