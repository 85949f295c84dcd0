"""torch.compile integration: compile-safe kernels, graph-break and recompile diagnostics, and a static-shape CUDA-graph runner."""

from .compiled_module import CompiledModule, compile
from .compiling import compiling
from .explain import ExplainReport, GraphBreak, explain
from .recompiles import recompiles, reset_recompiles
from .runner import ShapeMismatchError, StaticStepRunner

__version__ = "0.1.0"

__all__: list[str] = [
    "compile", "CompiledModule", "compiling",
    "explain", "ExplainReport", "GraphBreak",
    "recompiles", "reset_recompiles",
    "StaticStepRunner", "ShapeMismatchError",
]
