"""geode-sampler's hook implementations: what it contributes to the Geode registry."""

from __future__ import annotations

from geode_core.plugins import hookimpl


@hookimpl
def geode_register_exports(registry):
    registry.add("loader.*", "geode_sampler")


@hookimpl
def geode_register_samplers(registry):
    registry.add("neighbor", "geode_sampler.neighbor_sampler:NeighborSampler")
    registry.add("hgt", "geode_sampler.hgt_sampler:HGTSampler")
