"""Aggregations: the base class, the basic reductions and name resolution."""

from .base import Aggregation
from .basic import MaxAggregation, MeanAggregation, MinAggregation, MulAggregation, SumAggregation
from .resolve import resolve_aggregation

__all__ = [
    "Aggregation", "SumAggregation", "MeanAggregation", "MinAggregation", "MaxAggregation",
    "MulAggregation", "resolve_aggregation",
]
