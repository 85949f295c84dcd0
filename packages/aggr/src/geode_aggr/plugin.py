"""geode-aggr's hook implementations: what it contributes to the Geode registry."""

from __future__ import annotations

from geode_core.plugins import hookimpl

#: registered name -> "module:attribute" (imported on first lookup).
AGGREGATIONS = {
    "multi": "geode_aggr.multi:MultiAggregation",
    "var": "geode_aggr.variance:VarAggregation",
    "std": "geode_aggr.variance:StdAggregation",
    "softmax": "geode_aggr.softmax:SoftmaxAggregation",
    "power_mean": "geode_aggr.power_mean:PowerMeanAggregation",
    "median": "geode_aggr.quantile:MedianAggregation",
    "quantile": "geode_aggr.quantile:QuantileAggregation",
    "degree_scaler": "geode_aggr.degree_scaler:DegreeScalerAggregation",
    "sort": "geode_aggr.sort:SortAggregation",
    "attentional": "geode_aggr.attentional:AttentionalAggregation",
    "lstm": "geode_aggr.recurrent:LSTMAggregation",
    "gru": "geode_aggr.recurrent:GRUAggregation",
    "set2set": "geode_aggr.set2set:Set2Set",
    "deep_sets": "geode_aggr.deep_sets:DeepSetsAggregation",
    "mlp": "geode_aggr.mlp:MLPAggregation",
    "set_transformer": "geode_aggr.set_transformer:SetTransformerAggregation",
    "variance_preserving": "geode_aggr.variance_preserving:VariancePreservingAggregation",
    "graph_multiset_transformer": "geode_aggr.graph_multiset_transformer:GraphMultisetTransformer",
    "gmt": "geode_aggr.graph_multiset_transformer:GraphMultisetTransformer",
    "equilibrium": "geode_aggr.equilibrium:EquilibriumAggregation",
    "lcm": "geode_aggr.lcm:LCMAggregation",
    "patch_transformer": "geode_aggr.patch_transformer:PatchTransformerAggregation",
}


@hookimpl
def geode_register_aggregations(registry):
    for name, target in AGGREGATIONS.items():
        registry.add(name, target)


@hookimpl
def geode_register_exports(registry):
    registry.add("nn.aggr.*", "geode_aggr")
