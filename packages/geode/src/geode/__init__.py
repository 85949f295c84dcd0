"""Geode: graph neural networks for PyTorch.

``import geode`` is cheap: it imports neither torch nor any plugin. Each namespace
(``geode.nn``, ``geode.loader``, ...) resolves names through the plugin registry on first
use, so it holds exactly what is installed.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

NAMESPACES = (
    "data", "datasets", "transforms", "utils", "loader", "nn",
    "compile", "ipu", "stores", "explain",
)


def __getattr__(name: str):
    if name in NAMESPACES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'geode' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *NAMESPACES])
