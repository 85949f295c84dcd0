"""The graph-break gate's table: how to build and call every exported layer, model and aggregation.

``MODULE_CASES`` covers the classes (and pooling functions) that ``geode_core.nn`` and its
``models``, ``pool`` and ``norm`` namespaces export; ``AGGREGATION_CASES`` covers the classes
registered as aggregations by geode-core and geode-aggr. Each case is ``(factory, call)``:
``factory()`` builds the module (``None`` for a function) and ``call(module)`` runs it on the
tiny shared graph below. ``FULLGRAPH_EXCEPTIONS`` names what cannot compile as one graph
because of its math, with the reason (mirrored in ``docs/compile.md``).
"""

from __future__ import annotations

import torch

from geode_core import nn

N, C = 6, 4  # nodes, channels
EDGE_INDEX = torch.tensor([[0, 1, 2, 3, 4, 5, 0, 2, 3, 5],
                           [1, 2, 3, 4, 5, 0, 3, 2, 1, 4]])
BATCH = torch.tensor([0, 0, 0, 1, 1, 1])  # two graphs of three nodes
DEG = torch.tensor([1, 4, 1])  # degree histogram for the PNA scalers
_gen = torch.Generator().manual_seed(0)
X = torch.randn(N, C, generator=_gen)
EDGE_ATTR = torch.randn(EDGE_INDEX.size(1), 2, generator=_gen)
EDGE_WEIGHT = torch.rand(EDGE_INDEX.size(1), generator=_gen) + 0.5
AGGR_INDEX = torch.tensor([0, 0, 1, 1, 1, 3])  # group 2 stays empty
AGGR_SIZE = 4


def _mlp(i: int, o: int) -> torch.nn.Module:
    return torch.nn.Sequential(torch.nn.Linear(i, o), torch.nn.ReLU(), torch.nn.Linear(o, o))


def _graph(m, x):
    return m(x, EDGE_INDEX)


def _with_attr(m, x):
    return m(x, EDGE_INDEX, EDGE_ATTR)


def _with_weight(m, x):
    return m(x, EDGE_INDEX, EDGE_WEIGHT)


def _batched(m, x):
    return m(x, BATCH, batch_size=2)


def _pooled(m, x):
    return m(x, EDGE_INDEX, None, BATCH)[0]


_PNA = {"aggregators": ["mean", "max"], "scalers": ["identity", "amplification"], "deg": DEG}

#: name -> (factory, call); x is ``X`` (``[N, C]``), the graph ``EDGE_INDEX``
MODULE_CASES = {
    # convolutions
    "GCNConv": (lambda: nn.GCNConv(C, 3), _with_weight),
    "SAGEConv": (lambda: nn.SAGEConv(C, 3), _graph),
    "GINConv": (lambda: nn.GINConv(_mlp(C, 3), train_eps=True), _graph),
    "GINEConv": (lambda: nn.GINEConv(_mlp(C, 3), edge_dim=2), _with_attr),
    "GraphConv": (lambda: nn.GraphConv(C, 3), _with_weight),
    "GATConv": (lambda: nn.GATConv(C, 3, heads=2, edge_dim=2), _with_attr),
    "GATv2Conv": (lambda: nn.GATv2Conv(C, 3, heads=2, edge_dim=2), _with_attr),
    "TransformerConv": (lambda: nn.TransformerConv(C, 3, heads=2, beta=True, edge_dim=2), _with_attr),
    "ChebConv": (lambda: nn.ChebConv(C, 3, K=3), _graph),
    "SGConv": (lambda: nn.SGConv(C, 3, K=2), _graph),
    "APPNP": (lambda: nn.APPNP(K=2, alpha=0.1), _graph),
    "TAGConv": (lambda: nn.TAGConv(C, 3, K=2), _graph),
    "GCN2Conv": (lambda: nn.GCN2Conv(C, alpha=0.2, theta=0.5, layer=2), lambda m, x: m(x, x.cos(), EDGE_INDEX)),
    "LGConv": (lambda: nn.LGConv(), _graph),
    "SimpleConv": (lambda: nn.SimpleConv(aggr="mean", combine_root="self_loop"), _graph),
    "ResGatedGraphConv": (lambda: nn.ResGatedGraphConv(C, 3, edge_dim=2), _with_attr),
    "EdgeConv": (lambda: nn.EdgeConv(_mlp(2 * C, 3)), _graph),
    "DynamicEdgeConv": (lambda: nn.DynamicEdgeConv(_mlp(2 * C, 3), k=2), lambda m, x: m(x, BATCH)),
    "NNConv": (lambda: nn.NNConv(C, 3, torch.nn.Linear(2, 3 * C), aggr="mean"), _with_attr),
    "GENConv": (lambda: nn.GENConv(C, 3, edge_dim=2, learn_t=True, msg_norm=True, norm=None), _with_attr),
    "PNAConv": (lambda: nn.PNAConv(C, 4, edge_dim=2, towers=2, **_PNA), _with_attr),
    "GatedGraphConv": (lambda: nn.GatedGraphConv(5, num_layers=2), _graph),
    "ClusterGCNConv": (lambda: nn.ClusterGCNConv(C, 3, diag_lambda=0.5), _graph),
    "MixHopConv": (lambda: nn.MixHopConv(C, 3, powers=[0, 1, 2]), _graph),
    "DirGNNConv": (lambda: nn.DirGNNConv(nn.GraphConv(C, 3)), _graph),
    "GPSConv": (lambda: nn.GPSConv(C, nn.GraphConv(C, C), heads=2), _graph),
    "GPSConv (batch vector)": (lambda: nn.GPSConv(C, nn.GraphConv(C, C), heads=2),
                               lambda m, x: m(x, EDGE_INDEX, BATCH)),
    # models
    "MLP": (lambda: nn.MLP([C, 8, 3], norm="batch_norm"), lambda m, x: m(x)),
    "GCN": (lambda: nn.GCN(C, 8, num_layers=2, out_channels=3), _with_weight),
    "GraphSAGE": (lambda: nn.GraphSAGE(C, 8, num_layers=2, jk="cat"), _graph),
    "GIN": (lambda: nn.GIN(C, 8, num_layers=2, norm="batch_norm"), _graph),
    "GAT": (lambda: nn.GAT(C, 8, num_layers=2, heads=2, v2=True), _graph),
    "PNA": (lambda: nn.PNA(C, 8, num_layers=2, edge_dim=2, **_PNA),
            lambda m, x: m(x, EDGE_INDEX, edge_attr=EDGE_ATTR)),
    "EdgeCNN": (lambda: nn.EdgeCNN(C, 8, num_layers=2, jk="max"), _graph),
    "JumpingKnowledge": (lambda: nn.JumpingKnowledge("max"), lambda m, x: m([x, x.tanh()])),
    "JumpingKnowledge (lstm)": (lambda: nn.JumpingKnowledge("lstm", channels=C, num_layers=2),
                                lambda m, x: m([x, x.tanh()])),
    # pooling
    "global_add_pool": (None, lambda _, x: nn.global_add_pool(x, BATCH, size=2)),
    "global_mean_pool": (None, lambda _, x: nn.global_mean_pool(x, BATCH, size=2)),
    "global_max_pool": (None, lambda _, x: nn.global_max_pool(x, BATCH, size=2)),
    "TopKPooling": (lambda: nn.TopKPooling(C, ratio=0.5), _pooled),
    "SAGPooling": (lambda: nn.SAGPooling(C, ratio=0.5), _pooled),
    "topk": (None, lambda _, x: x[nn.pool.topk(x[:, 0], 0.5, BATCH)]),
    "filter_adj": (None, lambda _, x: nn.pool.filter_adj(EDGE_INDEX, EDGE_ATTR, torch.tensor([0, 2, 3]), N)[1] * x.sum()),
    # norms
    "BatchNorm": (lambda: nn.BatchNorm(C), lambda m, x: m(x)),
    "LayerNorm": (lambda: nn.LayerNorm(C), _batched),
    "GraphNorm": (lambda: nn.GraphNorm(C), _batched),
    "InstanceNorm": (lambda: nn.InstanceNorm(C, affine=True), _batched),
    "PairNorm": (lambda: nn.PairNorm(), _batched),
    "GraphSizeNorm": (lambda: nn.GraphSizeNorm(), _batched),
    "MessageNorm": (lambda: nn.MessageNorm(learn_scale=True), lambda m, x: m(x, x.sin())),
}


def _aggr_cases() -> dict:
    from geode_core.nn import aggr as core

    cases = {
        "SumAggregation": core.SumAggregation, "MeanAggregation": core.MeanAggregation,
        "MinAggregation": core.MinAggregation, "MaxAggregation": core.MaxAggregation,
        "MulAggregation": core.MulAggregation,
    }
    try:
        import geode_aggr as ga
    except ImportError:
        return cases
    cases.update({
        "MultiAggregation": lambda: ga.MultiAggregation(["sum", "std", "softmax"], mode="proj",
                                                        mode_kwargs={"in_channels": C, "out_channels": 3}),
        "VarAggregation": ga.VarAggregation, "StdAggregation": ga.StdAggregation,
        "SoftmaxAggregation": lambda: ga.SoftmaxAggregation(learn=True, channels=C),
        "PowerMeanAggregation": lambda: ga.PowerMeanAggregation(learn=True),
        "MedianAggregation": ga.MedianAggregation,
        "QuantileAggregation": lambda: ga.QuantileAggregation([0.25, 0.75]),
        "DegreeScalerAggregation": lambda: ga.DegreeScalerAggregation(["mean", "std"],
                                                                      ["identity", "attenuation"], DEG),
        "SortAggregation": lambda: ga.SortAggregation(k=2),
        "AttentionalAggregation": lambda: ga.AttentionalAggregation(torch.nn.Linear(C, 1), torch.nn.Linear(C, 3)),
        "LSTMAggregation": lambda: ga.LSTMAggregation(C, 3),
        "GRUAggregation": lambda: ga.GRUAggregation(C, 3),
        "Set2Set": lambda: ga.Set2Set(C, processing_steps=2),
        "DeepSetsAggregation": lambda: ga.DeepSetsAggregation(torch.nn.Linear(C, C), torch.nn.Linear(C, 2)),
        "MLPAggregation": lambda: ga.MLPAggregation(C, 3, max_num_elements=3),
        "SetTransformerAggregation": lambda: ga.SetTransformerAggregation(C, heads=2),
        "VariancePreservingAggregation": ga.VariancePreservingAggregation,
        "GraphMultisetTransformer": lambda: ga.GraphMultisetTransformer(C, k=2, heads=2),
        "EquilibriumAggregation": lambda: ga.EquilibriumAggregation(C, 3, num_layers=[8],
                                                                    grad_iter=2),
        "LCMAggregation": lambda: ga.LCMAggregation(C, 3),
        "PatchTransformerAggregation": lambda: ga.PatchTransformerAggregation(
            C, 3, patch_size=2, hidden_channels=8, heads=2),
    })
    return cases


#: aggregation class name -> factory; called as ``aggr(X, AGGR_INDEX, dim_size=AGGR_SIZE)``
AGGREGATION_CASES = _aggr_cases()

#: what cannot compile into one graph, and why (each is also listed in docs/compile.md)
_RNN = "Dynamo cannot trace torch.nn.LSTM/GRU modules (a torch limitation; they run eagerly)"
_DENSE = ("pads each group to the largest group's size, a shape read from the data "
          "(the degree histogram of the batch)")
FULLGRAPH_EXCEPTIONS: dict[str, str] = {
    "JumpingKnowledge (lstm)": _RNN,
    "Set2Set": _RNN,
    "LSTMAggregation": f"{_DENSE}; and {_RNN}",
    "GRUAggregation": f"{_DENSE}; and {_RNN}",
    "SortAggregation": _DENSE,
    "GPSConv (batch vector)": "global attention pads each graph to the largest graph's node count "
                              "(to_dense_batch), a shape read from the data",
    "DynamicEdgeConv": "rebuilds its kNN graph from the features on every call; knn decides on "
                       "the host whether the batch holds one graph or several",
    "EquilibriumAggregation": "runs gradient-descent steps with torch.autograd.grad inside "
                              "forward, which Dynamo does not trace",
    "LCMAggregation": "halves the padded groups until one column remains: the number of "
                      "rounds depends on the largest group's size",
    "PatchTransformerAggregation": f"{_DENSE}, split into patches",
}

#: exceptions whose fallback cannot go through AOTAutograd either (checked with the eager backend)
AOT_UNSUPPORTED = {
    "EquilibriumAggregation": "its inner torch.autograd.grad(create_graph=True) is a double "
                              "backward, which AOTAutograd (and so Inductor) does not support",
}
