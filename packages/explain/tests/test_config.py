"""Configuration validation: clear errors naming the argument, the choices and the value."""

from __future__ import annotations

import pytest

from geode_explain import Explainer, GNNExplainer, PGExplainer, Saliency
from geode_explain.config import ExplainerConfig, ModelConfig, ThresholdConfig

from .conftest import make_model

NODE = dict(mode="multiclass_classification", task_level="node")


@pytest.mark.parametrize("kwargs, message", [
    (dict(explanation_type="why"), "explanation_type must be one of 'model', 'phenomenon', got 'why'"),
    (dict(explanation_type="model", node_mask_type="edges"), "node_mask_type must be one of"),
    (dict(explanation_type="model", edge_mask_type="attributes"), "edge_mask_type must be None or 'object'"),
    (dict(explanation_type="model"), "nothing to explain"),
])
def test_explainer_config_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ExplainerConfig(**kwargs)


def test_model_and_threshold_config_errors():
    with pytest.raises(ValueError, match=r"model_config\['mode'\] must be one of"):
        ModelConfig("classify", "node")
    with pytest.raises(ValueError, match="regression model must have return_type='raw'"):
        ModelConfig("regression", "node", "probs")
    with pytest.raises(ValueError, match="binary classifier"):
        ModelConfig("binary_classification", "graph", "log_probs")
    with pytest.raises(ValueError, match=r"'hard' threshold value must be a number in \[0, 1\]"):
        ThresholdConfig("hard", 2.0)
    with pytest.raises(ValueError, match=r"'topk' threshold value must be a positive int, got 0\.5"):
        ThresholdConfig("topk", 0.5)


def test_explainer_rejects_bad_arguments_and_unsupported_combinations():
    model = make_model("node", "multiclass_classification")
    with pytest.raises(ValueError, match=r"model_config: .*unexpected keyword"):
        Explainer(model, Saliency(), "model", dict(NODE, colour="red"), edge_mask_type="object")
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module"):
        Explainer(lambda x: x, Saliency(), "model", NODE, edge_mask_type="object")
    with pytest.raises(ValueError, match="PGExplainer does not support node_mask_type='attributes'; "
                                         "supported: None"):
        Explainer(model, PGExplainer(epochs=1), "model", NODE, node_mask_type="attributes",
                  edge_mask_type="object")
    with pytest.raises(ValueError, match=r"PGExplainer does not support model_config\['task_level'\]='edge'"):
        Explainer(model, PGExplainer(epochs=1), "model", dict(NODE, task_level="edge"),
                  edge_mask_type="object")
    with pytest.raises(TypeError, match="unknown coefficient"):
        GNNExplainer(edge_sz=1.0)


def test_target_rules(node_data):
    x, edge_index, _, index = node_data
    model = make_model("node", "multiclass_classification")
    explainer = Explainer(model, Saliency(), "phenomenon", NODE, edge_mask_type="object")
    with pytest.raises(ValueError, match="needs the target"):
        explainer(x, edge_index, index=index)
    explainer = Explainer(model, Saliency(), "model", NODE, edge_mask_type="object")
    with pytest.raises(ValueError, match="target must be None"):
        explainer(x, edge_index, target=index, index=index)
