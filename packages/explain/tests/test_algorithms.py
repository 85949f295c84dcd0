"""Algorithm behaviour: registry lookup and plugins, seeds, attention weights, computation
subgraphs, training requirements."""

from __future__ import annotations

import pytest
import torch

from geode_core.nn.conv import GATConv
from geode_core.plugins import hookimpl, register_plugin, reset_registry
from geode_core.utils import k_hop_subgraph
from geode_explain import (
    AttentionExplainer,
    Explainer,
    ExplainerAlgorithm,
    GNNExplainer,
    GraphMaskExplainer,
    PGExplainer,
    Saliency,
)

from .conftest import make_inputs, make_model

NODE = dict(mode="multiclass_classification", task_level="node")


def test_algorithms_by_registered_name(node_data):
    model = make_model("node", "multiclass_classification")
    explainer = Explainer(model, "gnn_explainer", "model", NODE, edge_mask_type="object",
                          algorithm_kwargs=dict(epochs=2, log=False))
    assert isinstance(explainer.algorithm, GNNExplainer) and explainer.algorithm.epochs == 2
    assert isinstance(Explainer(model, "Saliency", "model", NODE, edge_mask_type="object").algorithm, Saliency)
    with pytest.raises(LookupError, match=r"no explainer named 'Nope'.*GNNExplainer"):
        Explainer(model, "Nope", "model", NODE, edge_mask_type="object")


class HalfExplainer(ExplainerAlgorithm):
    """A plugin's algorithm: every edge weighs one half."""

    node_mask_types = (None,)

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        return self.explanation(x, None, torch.full((edge_index.size(1),), 0.5))


class Plugin:
    @hookimpl
    def geode_register_explainers(self, registry):
        registry.add("HalfExplainer", HalfExplainer)


def test_plugin_registers_an_explainer(node_data):
    x, edge_index, _, index = node_data
    try:
        register_plugin(Plugin(), "geode-half-explainer")
        explainer = Explainer(make_model("node", "multiclass_classification"), "half_explainer",
                              "model", NODE, edge_mask_type="object")
        assert explainer(x, edge_index, index=index).edge_mask.tolist() == [0.5] * edge_index.size(1)
    finally:
        reset_registry()


def test_same_seed_same_explanation(node_data):
    x, edge_index, _, index = node_data
    model = make_model("node", "multiclass_classification")
    masks = []
    for _ in range(2):
        torch.manual_seed(7)
        explainer = Explainer(model, GNNExplainer(epochs=10, log=False), "model", NODE,
                              node_mask_type="attributes", edge_mask_type="object")
        e = explainer(x, edge_index, index=index)
        masks.append((e.node_mask, e.edge_mask))
    assert torch.equal(masks[0][0], masks[1][0]) and torch.equal(masks[0][1], masks[1][1])


def test_node_level_masks_vanish_outside_the_computation_subgraph():
    x, edge_index, _, _ = make_inputs("node")
    # a path 0-1-2-3-4-5-6-7: node 0's 2-hop subgraph is nodes 0..2
    path = torch.arange(7)
    edge_index = torch.cat([torch.stack([path, path + 1]), torch.stack([path + 1, path])], dim=1)
    model = make_model("node", "multiclass_classification")
    _, _, _, reach = k_hop_subgraph(0, 2, edge_index, num_nodes=8)
    for algorithm in (GNNExplainer(epochs=3, log=False), Saliency()):
        e = Explainer(model, algorithm, "model", NODE, node_mask_type="object",
                      edge_mask_type="object")(x, edge_index, index=torch.tensor([0]))
        assert (e.edge_mask[~reach] == 0).all()
        assert (e.node_mask[3:] == 0).all()


def test_attention_explainer_reads_gat_attention():
    torch.manual_seed(0)
    x, edge_index, _, _ = make_inputs("node")

    class OneLayer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = GATConv(3, 2, heads=3)

        def forward(self, x, edge_index):
            return self.conv(x, edge_index)

    model = OneLayer().eval()
    _, (_, alpha) = model.conv(x, edge_index, return_attention_weights=True)
    config = dict(mode="multiclass_classification", task_level="graph")
    for reduce, expected in (("max", alpha.amax(-1)), ("mean", alpha.mean(-1))):
        e = Explainer(model, AttentionExplainer(reduce), "model", config, edge_mask_type="object")(x, edge_index)
        assert torch.allclose(e.edge_mask, expected[:edge_index.size(1)], atol=1e-6)
    with pytest.raises(ValueError, match="no attention layer"):
        Explainer(make_model("node", "multiclass_classification"), AttentionExplainer(), "model", NODE,
                  edge_mask_type="object")(x, edge_index, index=torch.tensor([0]))
    with pytest.raises(ValueError, match="reduce must be one of"):
        AttentionExplainer("median")


def test_trained_algorithms_explain_errors(node_data):
    x, edge_index, _, index = node_data
    model = make_model("node", "multiclass_classification")
    explainer = Explainer(model, PGExplainer(epochs=2), "phenomenon", NODE, edge_mask_type="object")
    with pytest.raises(ValueError, match="PGExplainer is not trained"):
        explainer(x, edge_index, target=torch.zeros(8, dtype=torch.long), index=index)
    with pytest.raises(ValueError, match="needs target"):
        explainer.algorithm.train(0, model, x, edge_index, index=index)
    gm = Explainer(model, GraphMaskExplainer(num_layers=3, epochs=1, log=False), "model", NODE,
                   edge_mask_type="object")
    with pytest.raises(ValueError, match="num_layers=3 but the model has 2"):
        gm(x, edge_index, index=index)
