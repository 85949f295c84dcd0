"""geode-explain's hook implementations: what it contributes to the Geode registry."""

from __future__ import annotations

from geode_core.plugins import hookimpl


@hookimpl
def geode_register_exports(registry):
    registry.add("explain.*", "geode_explain")


@hookimpl
def geode_register_explainers(registry):
    from .algorithm import BUILTIN

    for name, target in BUILTIN.items():
        registry.add(name, target)
