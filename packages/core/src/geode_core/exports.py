"""geode-core's contribution to the composed ``geode`` namespace."""

from __future__ import annotations

#: namespace in ``geode`` -> the geode-core module whose ``__all__`` it exports.
NAMESPACE_MODULES = {
    "data": "geode_core.data",
    "datasets": "geode_core.datasets",
    "transforms": "geode_core.transforms",
    "utils": "geode_core.utils",
    "loader": "geode_core.loader",
    "nn": "geode_core.nn",
    "nn.aggr": "geode_core.nn.aggr",
    "nn.models": "geode_core.nn.models",
    "nn.pool": "geode_core.nn.pool",
    "nn.norm": "geode_core.nn.norm",
}


def register_exports(registry) -> None:
    for namespace, module in NAMESPACE_MODULES.items():
        registry.add(f"{namespace}.*", module)
