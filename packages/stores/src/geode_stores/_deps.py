"""Optional heavy dependencies, imported on first use with an install hint."""

from __future__ import annotations

import importlib
from types import ModuleType

#: module -> the geode-stores extra that installs it
EXTRAS = {"rocksdict": "rocksdb", "kuzu": "kuzu", "pymetis": "metis"}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise an ImportError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        extra = EXTRAS[module]
        raise ImportError(f"{module} is not installed; install it with "
                          f"`pip install geode-stores[{extra}]`") from error
