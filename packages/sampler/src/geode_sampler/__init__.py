"""Samplers and mini-batch loaders (neighbor, link, cluster, GraphSAINT, ...) in vectorised PyTorch: no compiled extension to install."""

__version__ = "0.1.0"

__all__: list[str] = []
