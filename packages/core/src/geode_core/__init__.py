"""Geode core: graph data, message passing, kernels and the plugin registry.

Importing this package is cheap: subpackages (``geode_core.data``, ``geode_core.nn``, ...)
load on first attribute access, and plugins load on first registry use.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = ("data", "datasets", "transforms", "utils", "nn", "ops", "loader", "plugins")


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'geode_core' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_SUBPACKAGES])
