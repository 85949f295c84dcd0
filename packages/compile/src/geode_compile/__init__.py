"""torch.compile integration: compile-safe kernels, graph-break and recompile diagnostics, and a static-shape CUDA-graph runner."""

__version__ = "0.1.0"

__all__: list[str] = []
