"""geode-compile's hook implementations: what it contributes to the Geode registry."""

from __future__ import annotations

from geode_core.plugins import hookimpl


@hookimpl
def geode_register_exports(registry):
    registry.add("compile.*", "geode_compile")


@hookimpl
def geode_register_compile_backends(registry):
    from geode_compile.backends import register_backends

    register_backends(registry)
