"""Registers geode-core's basic aggregations by name."""

from __future__ import annotations

from .basic import MaxAggregation, MeanAggregation, MinAggregation, MulAggregation, SumAggregation


def register_aggregations(registry) -> None:
    registry.add("sum", SumAggregation)
    registry.add("add", SumAggregation)
    registry.add("mean", MeanAggregation)
    registry.add("min", MinAggregation)
    registry.add("max", MaxAggregation)
    registry.add("mul", MulAggregation)
