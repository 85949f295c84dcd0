"""Resolve activations and normalisation layers given by name (``"relu"``, ``"batch_norm"``...)."""

from __future__ import annotations

import inspect
from typing import Any

import torch

from .aggr import resolve_aggregation

_ACTIVATION_ALIASES = {"swish": "silu", "lrelu": "leakyrelu", "identity": "identity",
                       "linear": "identity", "none": "identity"}


def _key(name: str, suffix: str = "") -> str:
    key = name.lower().replace("_", "").replace("-", "")
    if suffix and key.endswith(suffix) and key != suffix:
        key = key[: -len(suffix)]
    return key


def _activations() -> dict[str, type]:
    from torch.nn.modules import activation

    found = {_key(n): c for n, c in vars(activation).items()
             if inspect.isclass(c) and issubclass(c, torch.nn.Module) and c.__module__ == activation.__name__}
    found["identity"] = torch.nn.Identity
    return found


def _norms() -> dict[str, type]:
    from . import norm

    return {_key(name, "norm"): getattr(norm, name) for name in norm.__all__}


def _resolve(query: Any, options: dict[str, type], what: str, key: str, *args, **kwargs):
    if query is None:
        return None
    if isinstance(query, torch.nn.Module):
        return query
    if inspect.isclass(query) and issubclass(query, torch.nn.Module):
        return query(*args, **kwargs)
    if isinstance(query, str):
        cls = options.get(key)
        if cls is None:
            raise ValueError(f"unknown {what} {query!r}; choose one of {', '.join(sorted(options))}")
        return cls(*args, **kwargs)
    raise TypeError(f"{what} must be a name, a Module class or a Module, got {type(query).__name__}")


def activation_resolver(query: Any = "relu", *args: Any, **kwargs: Any) -> torch.nn.Module:
    """An activation module from a name (``"relu"``, ``"leaky_relu"``, ``"gelu"``, ...), class or module."""
    key = _ACTIVATION_ALIASES.get(_key(query), _key(query)) if isinstance(query, str) else ""
    return _resolve(query, _activations(), "activation", key, *args, **kwargs)


def normalization_resolver(query: Any, *args: Any, **kwargs: Any) -> torch.nn.Module | None:
    """A norm layer of :mod:`geode_core.nn.norm` from a name (``"batch_norm"``, ``"graph"``...).

    ``None`` gives ``None``; ``args``/``kwargs`` go to the constructor (e.g. the channels).
    """
    key = _key(query, "norm") if isinstance(query, str) else ""
    return _resolve(query, _norms(), "normalization", key, *args, **kwargs)


def takes_batch(module: torch.nn.Module | None) -> bool:
    """True when ``module.forward`` accepts a ``batch`` argument (the graph-aware norms)."""
    return module is not None and "batch" in inspect.signature(module.forward).parameters


def aggregation_resolver(query: Any, *args: Any, **kwargs: Any):
    """An aggregation from a registered name, list of names, class or module."""
    return resolve_aggregation(query, *args, **kwargs)


__all__ = ["activation_resolver", "aggregation_resolver", "normalization_resolver"]
