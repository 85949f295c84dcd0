"""Every aggregation resolves by name, case- and separator-insensitively."""

import pytest

import geode_aggr
from geode_aggr.plugin import AGGREGATIONS
from geode_core.nn.aggr import resolve_aggregation
from geode_core.plugins import get_registry


@pytest.mark.parametrize("name", ["softmax", "Softmax", "SoftmaxAggregation", "SOFT_MAX"])
def test_softmax_spellings(name):
    assert isinstance(resolve_aggregation(name), geode_aggr.SoftmaxAggregation)


@pytest.mark.parametrize("name,cls", [
    ("power_mean", "PowerMeanAggregation"), ("PowerMean", "PowerMeanAggregation"),
    ("power-mean", "PowerMeanAggregation"), ("var", "VarAggregation"),
    ("StdAggregation", "StdAggregation"), ("median", "MedianAggregation"),
    ("variance-preserving", "VariancePreservingAggregation"),
])
def test_names(name, cls):
    assert type(resolve_aggregation(name)).__name__ == cls


def test_list_resolves_to_multi():
    aggr = resolve_aggregation(["mean", "max", "std"])
    assert isinstance(aggr, geode_aggr.MultiAggregation)
    assert [type(a).__name__ for a in aggr.aggrs] == ["MeanAggregation", "MaxAggregation",
                                                      "StdAggregation"]


def test_every_registered_name_loads_and_is_exported():
    registry = get_registry()
    for name, target in AGGREGATIONS.items():
        cls = registry.load("aggregation", name)
        assert cls.__name__ == target.rpartition(":")[2]
        assert cls.__name__ in geode_aggr.__all__


def test_composed_namespace():
    import geode

    assert geode.nn.aggr.MultiAggregation is geode_aggr.MultiAggregation
    assert geode.nn.aggr.Set2Set is geode_aggr.Set2Set
