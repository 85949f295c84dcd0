"""An outside author's plugin: a new aggregation and a new kernel, nothing else."""

from .aggregation import ExampleAggregation

__all__ = ["ExampleAggregation"]
