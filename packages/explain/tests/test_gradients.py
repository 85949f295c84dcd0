"""Saliency and Integrated Gradients against finite differences on a tiny float64 model."""

from __future__ import annotations

import pytest
import torch

from geode_explain import Explainer, IntegratedGradients, Saliency
from geode_explain.masks import edge_masks

from .conftest import make_inputs, make_model

CONFIG = dict(mode="multiclass_classification", task_level="node")


@pytest.fixture
def setup():
    model = make_model("node", "multiclass_classification").double()
    x, edge_index, _, index = make_inputs("node")
    x = x.double()
    target = model(x, edge_index).argmax(-1)
    return model, x, edge_index, index, target


def score(model, x, edge_index, index, target, edge_mask=None):
    with torch.no_grad(), edge_masks(model, edge_mask):
        out = model(x, edge_index)
    return float(out[index, target[index]].sum())


def fd_node_gradient(model, x, edge_index, index, target, h=1e-6):
    grad = torch.zeros_like(x)
    for i in range(x.size(0)):
        for j in range(x.size(1)):
            up, down = x.clone(), x.clone()
            up[i, j] += h
            down[i, j] -= h
            grad[i, j] = (score(model, up, edge_index, index, target)
                          - score(model, down, edge_index, index, target)) / (2 * h)
    return grad


def test_saliency_matches_finite_differences(setup):
    model, x, edge_index, index, target = setup
    explainer = Explainer(model, Saliency(), "model", CONFIG, node_mask_type="attributes",
                          edge_mask_type="object")
    explanation = explainer(x, edge_index, index=index)
    expected = fd_node_gradient(model, x, edge_index, index, target).abs()
    assert torch.allclose(explanation.node_mask, expected, atol=1e-6)
    ones = torch.ones(edge_index.size(1), dtype=torch.float64)
    edge_grad = torch.zeros_like(ones)
    for e in range(ones.numel()):
        up, down = ones.clone(), ones.clone()
        up[e] += 1e-6
        down[e] -= 1e-6
        edge_grad[e] = (score(model, x, edge_index, index, target, up)
                        - score(model, x, edge_index, index, target, down)) / 2e-6
    assert torch.allclose(explanation.edge_mask.double(), edge_grad.abs(), atol=1e-6)
    # reduced mask types sum the attribution
    obj = Explainer(model, Saliency(), "model", CONFIG, node_mask_type="object")(x, edge_index, index=index)
    assert torch.allclose(obj.node_mask, expected.sum(-1, keepdim=True), atol=1e-6)


def test_integrated_gradients_matches_finite_difference_path_integral(setup):
    model, x, edge_index, index, target = setup
    steps = 8
    explainer = Explainer(model, IntegratedGradients(n_steps=steps), "model", CONFIG,
                          node_mask_type="attributes")
    explanation = explainer(x, edge_index, index=index)
    mean_grad = sum(fd_node_gradient(model, (k + 0.5) / steps * x, edge_index, index, target)
                    for k in range(steps)) / steps
    assert torch.allclose(explanation.node_mask, x * mean_grad, atol=1e-6)


def test_integrated_gradients_completeness(setup):
    model, x, edge_index, index, target = setup
    explainer = Explainer(model, IntegratedGradients(n_steps=300), "model", CONFIG,
                          node_mask_type="attributes")
    attribution = explainer(x, edge_index, index=index).node_mask.sum()
    gap = score(model, x, edge_index, index, target) - score(model, torch.zeros_like(x), edge_index,
                                                             index, target)
    assert float(attribution) == pytest.approx(gap, rel=1e-3, abs=1e-4)


@pytest.mark.parametrize("method, ours", [("Saliency", Saliency()),
                                          ("IntegratedGradients", IntegratedGradients(n_steps=6))])
def test_captum_agrees_with_pure_torch(setup, method, ours):
    pytest.importorskip("captum")
    from geode_explain import CaptumExplainer

    model, x, edge_index, index, _ = setup
    kwargs = {"n_steps": 6, "method": "riemann_middle"} if method == "IntegratedGradients" else {}
    captum = Explainer(model, CaptumExplainer(method, **kwargs), "model", CONFIG,
                       node_mask_type="attributes", edge_mask_type="object")(x, edge_index, index=index)
    pure = Explainer(model, ours, "model", CONFIG, node_mask_type="attributes",
                     edge_mask_type="object")(x, edge_index, index=index)
    assert torch.allclose(captum.node_mask, pure.node_mask, atol=1e-8)
    assert torch.allclose(captum.edge_mask.double(), pure.edge_mask.double(), atol=1e-6)


def test_captum_missing_gives_install_hint(monkeypatch):
    import sys

    from geode_explain import CaptumExplainer

    monkeypatch.setitem(sys.modules, "captum", None)
    monkeypatch.setitem(sys.modules, "captum.attr", None)
    with pytest.raises(ImportError, match=r"pip install 'geode-explain\[captum\]'"):
        CaptumExplainer("Saliency")
