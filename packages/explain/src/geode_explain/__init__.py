"""Explain GNN predictions: Explainer, GNNExplainer, PGExplainer, gradient methods, metrics and plots."""

__version__ = "0.1.0"

__all__: list[str] = []
