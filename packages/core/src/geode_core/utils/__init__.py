"""Graph utilities. Every function takes an explicit size argument to avoid device syncs."""

from .scatter import scatter

__all__ = ["scatter"]
