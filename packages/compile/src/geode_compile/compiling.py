"""Whether code is running under ``torch.compile`` tracing, for choosing compile-safe kernels."""

from __future__ import annotations

import torch


def compiling() -> bool:
    """True while ``torch.compile`` traces the caller.

    Kernel selection uses this: while it is true only kernels registered with
    ``compile_safe=True`` are candidates, so a traced layer never reaches an opaque kernel.
    """
    return bool(torch.compiler.is_compiling())
