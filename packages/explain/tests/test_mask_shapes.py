"""Every algorithm x task level x mask type: supported combinations give masks of the right
shape and range; unsupported ones fail when the Explainer is built."""

from __future__ import annotations

import itertools

import pytest
import torch

from geode_core.nn.conv import GATConv
from geode_explain import (
    AttentionExplainer,
    Explainer,
    GNNExplainer,
    GraphMaskExplainer,
    IntegratedGradients,
    PGExplainer,
    Saliency,
)
from geode_explain.algorithm import CaptumExplainer

from .conftest import make_inputs, make_model

ALGORITHMS = {
    "GNNExplainer": lambda: GNNExplainer(epochs=3, log=False),
    "Saliency": Saliency,
    "IntegratedGradients": lambda: IntegratedGradients(n_steps=4),
    "PGExplainer": lambda: PGExplainer(epochs=2),
    "GraphMaskExplainer": lambda: GraphMaskExplainer(num_layers=2, epochs=3, log=False),
    "AttentionExplainer": AttentionExplainer,
    "CaptumExplainer": lambda: CaptumExplainer("IntegratedGradients", n_steps=4),
}
LEVELS = ("node", "edge", "graph")
NODE_MASKS = (None, "object", "common_attributes", "attributes")
EDGE_MASKS = (None, "object")
#: what each algorithm supports: (task levels, node mask types, edge mask types)
SUPPORT = {
    "GNNExplainer": (LEVELS, NODE_MASKS, EDGE_MASKS),
    "Saliency": (LEVELS, NODE_MASKS, EDGE_MASKS),
    "IntegratedGradients": (LEVELS, NODE_MASKS, EDGE_MASKS),
    "PGExplainer": (("node", "graph"), (None,), ("object",)),
    "GraphMaskExplainer": (LEVELS, (None,), ("object",)),
    "AttentionExplainer": (LEVELS, (None,), ("object",)),
    "CaptumExplainer": (LEVELS, (None, "attributes"), EDGE_MASKS),
}
MODE = "multiclass_classification"


def cases():
    for name, level, node, edge in itertools.product(ALGORITHMS, LEVELS, NODE_MASKS, EDGE_MASKS):
        if node is None and edge is None:
            continue
        yield pytest.param(name, level, node, edge, id=f"{name}-{level}-{node}-{edge}")


def build(name, level, node, edge):
    if name == "CaptumExplainer":
        pytest.importorskip("captum")
    conv = (lambda i, o: GATConv(i, o, heads=2, concat=False)) if name == "AttentionExplainer" else None
    model = make_model(level, MODE, **({"conv": conv} if conv else {}))
    return model, Explainer(model, ALGORITHMS[name](), "model", dict(mode=MODE, task_level=level),
                            node_mask_type=node, edge_mask_type=edge)


@pytest.mark.parametrize("name, level, node, edge", list(cases()))
def test_mask_shapes_and_ranges(name, level, node, edge):
    levels, nodes, edges = SUPPORT[name]
    if level not in levels or node not in nodes or edge not in edges:
        with pytest.raises(ValueError, match=f"{name} does not support"):
            build(name, level, node, edge)
        return
    model, explainer = build(name, level, node, edge)
    x, edge_index, kwargs, index = make_inputs(level)
    if name == "PGExplainer":
        target = explainer.get_target(explainer.get_prediction(x, edge_index, **kwargs))
        for epoch in range(2):
            assert explainer.algorithm.train(epoch, model, x, edge_index, target=target, index=index,
                                             **kwargs) > 0
    explanation = explainer(x, edge_index, index=index, **kwargs)
    n, f = x.shape
    expected_node = {None: None, "object": (n, 1), "common_attributes": (1, f), "attributes": (n, f)}[node]
    node_mask, edge_mask = explanation.get("node_mask"), explanation.get("edge_mask")
    assert (None if node_mask is None else tuple(node_mask.shape)) == expected_node
    assert (None if edge_mask is None else tuple(edge_mask.shape)) == (
        None if edge is None else (edge_index.size(1),))
    for mask in (node_mask, edge_mask):
        if mask is None:
            continue
        assert torch.isfinite(mask).all() and not mask.requires_grad
        if name in ("GNNExplainer", "PGExplainer", "GraphMaskExplainer", "AttentionExplainer"):
            assert mask.min() >= 0 and mask.max() <= 1
        if name == "Saliency":
            assert mask.min() >= 0
        assert mask.abs().sum() > 0  # the explained outputs depend on something
    assert torch.equal(explanation.index, index)
