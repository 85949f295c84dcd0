"""Hook implementations of the example plugin."""

from __future__ import annotations

from geode_core.plugins import hookimpl

from .aggregation import ExampleAggregation


def scatter_sum_loop(src, index, dim_size):
    """A deliberately simple kernel for the ``scatter_sum`` op: one row at a time."""
    out = src.new_zeros((dim_size, *src.shape[1:]))
    for row, target in enumerate(index.tolist()):
        out[target] += src[row]
    return out


@hookimpl
def geode_register_aggregations(registry):
    registry.add("example", ExampleAggregation)


@hookimpl
def geode_register_kernels(registry):
    registry.add("example-loop", scatter_sum_loop, op="scatter_sum", device="cpu",
                 compile_safe=False, priority=-100,
                 description="row-by-row reference, for the plugin-protocol test")


@hookimpl
def geode_register_exports(registry):
    registry.add("nn.aggr.ExampleAggregation", "geode_example_plugin:ExampleAggregation")
