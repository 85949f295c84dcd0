"""geode-core's own registrations, made through the same hooks as any plugin."""

from __future__ import annotations

from .hookspecs import hookimpl


@hookimpl
def geode_register_aggregations(registry):
    from geode_core.nn.aggr.register import register_aggregations

    register_aggregations(registry)


@hookimpl
def geode_register_kernels(registry):
    from geode_core.ops.register import register_kernels

    register_kernels(registry)


@hookimpl
def geode_register_exports(registry):
    from geode_core.exports import register_exports

    register_exports(registry)


@hookimpl
def geode_register_stores(registry):
    registry.add("memory", "geode_core.data.memory_store:InMemoryFeatureStore", role="feature")
    registry.add("memory_graph", "geode_core.data.memory_store:InMemoryGraphStore", role="graph")
