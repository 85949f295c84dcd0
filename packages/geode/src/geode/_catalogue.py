"""Which first-party distribution provides which public names.

Used only to turn a missing name into a helpful ImportError; a test checks that every
name listed here resolves when its distribution is installed, so the list cannot drift.
"""

from __future__ import annotations

#: distribution -> (extra of the meta-package, {namespace: names}); "*" owns a namespace.
CATALOGUE: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "geode-aggr": ("aggr", {"nn.aggr": (
        "MultiAggregation", "VarAggregation", "StdAggregation", "SoftmaxAggregation",
        "PowerMeanAggregation", "MedianAggregation", "QuantileAggregation",
        "DegreeScalerAggregation", "SortAggregation", "AttentionalAggregation",
        "LSTMAggregation", "GRUAggregation", "Set2Set", "DeepSetsAggregation",
        "MLPAggregation", "VariancePreservingAggregation", "SetTransformerAggregation",
    )}),
    "geode-sampler": ("sampler", {"loader": (
        "NeighborSampler", "sample_neighbors", "SamplerOutput", "CompressedGraph",
        "HeteroSamplerOutput", "BaseSampler", "NodeSamplerInput", "EdgeSamplerInput",
        "NegativeSampling", "HGTSampler", "NodeLoader", "LinkLoader", "NeighborLoader",
        "LinkNeighborLoader", "HGTLoader", "ClusterData", "ClusterLoader", "GraphSAINTSampler",
        "GraphSAINTNodeSampler", "GraphSAINTEdgeSampler", "GraphSAINTRandomWalkSampler",
        "ShaDowKHopSampler", "RandomNodeLoader", "ImbalancedSampler", "PrefetchLoader",
        "CachedLoader",
    )}),
    "geode-hetero": ("hetero", {"nn": (
        "to_hetero", "to_hetero_with_bases", "ConversionError", "HeteroConv", "HeteroLinear",
        "HeteroDictLinear", "RGCNConv", "FastRGCNConv", "RGATConv", "HGTConv", "HANConv", "HeteroBatchNorm",
        "HeteroLayerNorm", "HeteroJumpingKnowledge",
    )}),
    "geode-compile": ("compile", {"compile": ("*",)}),
    "geode-ipu": ("ipu", {"ipu": ("*",)}),
    "geode-stores": ("stores", {"stores": ("*",)}),
    "geode-explain": ("explain", {"explain": ("*",)}),
}


def provider_of(namespace: str, name: str) -> tuple[str, str] | None:
    """``(distribution, extra)`` expected to provide ``geode.<namespace>.<name>``."""
    for dist, (extra, namespaces) in CATALOGUE.items():
        names = namespaces.get(namespace)
        if names is not None and (name in names or "*" in names):
            return dist, extra
    return None
