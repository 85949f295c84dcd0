"""Turn ``aggr="name"`` / a list of names / a module into an aggregation module."""

from __future__ import annotations

from typing import Any

from geode_core.plugins import get_registry

from .base import Aggregation


def resolve_aggregation(aggr: Any, **kwargs: Any) -> Aggregation:
    """An aggregation module from a registered name, an Aggregation class or an instance."""
    if isinstance(aggr, Aggregation):
        return aggr
    if isinstance(aggr, type) and issubclass(aggr, Aggregation):
        return aggr(**kwargs)
    if isinstance(aggr, str):
        cls = get_registry().load("aggregation", aggr)
        return cls(**kwargs)
    if isinstance(aggr, (list, tuple)):
        try:
            multi = get_registry().load("aggregation", "multi")
        except LookupError as exc:
            raise ImportError(
                "aggr given as a list needs the 'multi' aggregation of geode-aggr "
                "(pip install geode-aggr)"
            ) from exc
        return multi(list(aggr), **kwargs)
    raise TypeError(
        f"aggr must be a registered name, a list of names, or an Aggregation; got {type(aggr).__name__}"
    )
