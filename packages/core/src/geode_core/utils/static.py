"""The static-shape switch: while it is on, a size that would be inferred from data is an error.

Layers and utilities that can infer a size from their input (``index.max() + 1``, the
largest graph of a batch) call :func:`require_size` first. Outside static-shape mode that
costs one flag read; inside it, a missing size raises :class:`StaticShapeError` naming the
function and the argument to pass. ``geode_ipu.static_shapes()`` turns the switch on.
"""

from __future__ import annotations

from typing import Any

_enabled = False


class StaticShapeError(ValueError):
    """A size was left to be inferred from data while static shapes are required."""


def static_shapes_enabled() -> bool:
    """Whether sizes must be explicit (static-shape mode)."""
    return _enabled


def set_static_shapes(enabled: bool) -> bool:
    """Turn static-shape mode on or off; returns the previous setting."""
    global _enabled
    previous, _enabled = _enabled, bool(enabled)
    return previous


def require_size(where: str, argument: str, value: Any) -> None:
    """Raise when ``value`` (the ``argument`` of ``where``) is None in static-shape mode."""
    if _enabled and value is None:
        raise StaticShapeError(
            f"{where}: pass {argument}= explicitly; static shapes are required and "
            f"{argument}=None would infer the size from the data (a data-dependent shape)")
