"""Compile backends that geode-compile registers by name."""

from __future__ import annotations

from typing import Any


def inductor(gm, example_inputs, **options: Any):
    """The default TorchInductor backend, registered as ``"inductor"``."""
    from torch._inductor.compile_fx import compile_fx

    return compile_fx(gm, example_inputs, **options)


def resolve_backend(backend: Any) -> Any:
    """A backend for ``torch.compile``: a name registered with Geode, or what torch takes.

    Names registered through ``geode_register_compile_backends`` win; any other string is
    passed to ``torch.compile`` unchanged (so ``"eager"`` and ``"aot_eager"`` work).
    """
    if not isinstance(backend, str):
        return backend
    from geode_core.plugins import RegistryLookupError, get_registry

    if backend == "inductor":  # torch's own default; keep its name for caching and options
        return backend
    try:
        return get_registry().load("compile_backend", backend)
    except RegistryLookupError:
        return backend


def register_backends(registry) -> None:
    registry.add("inductor", inductor)
