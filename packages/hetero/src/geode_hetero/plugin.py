"""geode-hetero's hook implementations: what it contributes to the Geode registry."""

from __future__ import annotations

from geode_core.plugins import hookimpl


@hookimpl
def geode_register_exports(registry):
    registry.add("nn.*", "geode_hetero")


@hookimpl
def geode_register_kernels(registry):
    from .typed_linear_kernels import register_typed_linear_kernels

    register_typed_linear_kernels(registry)
