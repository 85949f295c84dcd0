"""Fixed-size batching (padding, packing, masks) for static-shape hardware and compilers, and the PopTorch adapter."""

__version__ = "0.1.0"

__all__: list[str] = []
