"""Explainer: runs an explanation algorithm on a model and packages the result."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from .algorithm.base import ExplainerAlgorithm
from .config import (
    ExplainerConfig,
    ExplanationType,
    MaskType,
    ModelConfig,
    ModelMode,
    ModelReturnType,
    ThresholdConfig,
    cast_config,
)
from .explanation import Explanation, HeteroExplanation
from .forward import is_hetero, masked_forward


def resolve_algorithm(algorithm: ExplainerAlgorithm | str, **kwargs) -> ExplainerAlgorithm:
    """An algorithm instance, or one built from its registered name (``"GNNExplainer"``)."""
    if isinstance(algorithm, ExplainerAlgorithm):
        return algorithm
    if isinstance(algorithm, str):
        from geode_core.plugins import get_registry

        cls = get_registry().load("explainer", algorithm)
        return cls(**kwargs)
    raise TypeError(f"algorithm must be an ExplainerAlgorithm or a registered name, got "
                    f"{type(algorithm).__name__}")


class Explainer:
    """Explain a GNN's predictions.

    Args:
        model: the model; called as ``model(x, edge_index, **kwargs)`` (dicts per type for
            heterogeneous models).
        algorithm: an :class:`ExplainerAlgorithm` or a registered name (``"GNNExplainer"``,
            ``"Saliency"``...; plugins add more through ``geode_register_explainers``).
        explanation_type: ``"model"`` (explain the model's prediction) or ``"phenomenon"``
            (explain a given ``target``).
        model_config: ``dict(mode=..., task_level=..., return_type=...)``.
        node_mask_type: None, ``"object"``, ``"common_attributes"`` or ``"attributes"``.
        edge_mask_type: None or ``"object"``.
        threshold_config: ``dict(threshold_type="hard"|"topk"|"topk_hard", value=...)``.
        algorithm_kwargs: arguments of the algorithm when it is given by name.
    """

    def __init__(self, model: torch.nn.Module, algorithm: ExplainerAlgorithm | str,
                 explanation_type: ExplanationType | str, model_config: ModelConfig | dict,
                 node_mask_type: MaskType | str | None = None,
                 edge_mask_type: MaskType | str | None = None,
                 threshold_config: ThresholdConfig | dict | None = None,
                 algorithm_kwargs: dict | None = None):
        if not isinstance(model, torch.nn.Module):
            raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
        self.model = model
        self.explainer_config = ExplainerConfig(explanation_type, node_mask_type, edge_mask_type)
        self.model_config = cast_config(ModelConfig, model_config, "model_config")
        if self.model_config is None:
            raise ValueError("model_config is required: dict(mode=..., task_level=...)")
        self.threshold_config = cast_config(ThresholdConfig, threshold_config, "threshold_config")
        self.algorithm = resolve_algorithm(algorithm, **(algorithm_kwargs or {}))
        self.algorithm.connect(self.explainer_config, self.model_config)

    # -- predictions ------------------------------------------------------------------------
    @torch.no_grad()
    def get_prediction(self, x, edge_index, **kwargs):
        """The model's output in eval mode, without gradients."""
        training = self.model.training
        self.model.eval()
        try:
            return self.model(x, edge_index, **kwargs)
        finally:
            self.model.train(training)

    @torch.no_grad()
    def get_masked_prediction(self, x, edge_index, node_mask=None, edge_mask=None, **kwargs):
        """The model's output on ``x * node_mask`` with messages scaled by ``edge_mask``."""
        training = self.model.training
        self.model.eval()
        try:
            return masked_forward(self.model, x, edge_index, node_mask, edge_mask, **kwargs)
        finally:
            self.model.train(training)

    def get_target(self, prediction: Tensor) -> Tensor:
        """The label a prediction stands for: a class, a 0/1 decision, or the value itself."""
        mode, rt = self.model_config.mode, self.model_config.return_type
        if mode == ModelMode.binary_classification:
            cut = 0.0 if rt == ModelReturnType.raw else 0.5
            return (prediction > cut).long()
        if mode == ModelMode.multiclass_classification:
            return prediction.argmax(dim=-1)
        return prediction

    # -- explaining -------------------------------------------------------------------------
    def __call__(self, x, edge_index, *, target: Tensor | None = None, index: Any = None,
                 **kwargs) -> Explanation | HeteroExplanation:
        """Explain the prediction at ``index`` (node, edge or graph indices; all if None)."""
        self.algorithm.check_inputs(x)
        prediction = self.get_prediction(x, edge_index, **kwargs)
        if self.explainer_config.explanation_type == ExplanationType.phenomenon:
            if target is None:
                raise ValueError("explanation_type='phenomenon' needs the target to explain "
                                 "(target=...)")
        elif target is not None:
            raise ValueError("explanation_type='model' explains the model's own prediction; "
                             "target must be None")
        else:
            target = self.get_target(prediction)
        if isinstance(index, int):
            index = torch.tensor([index])
        training = self.model.training
        self.model.eval()
        try:
            explanation = self.algorithm(self.model, x, edge_index, target=target, index=index, **kwargs)
        finally:
            self.model.train(training)
        self._attach(explanation, x, edge_index, prediction, target, index, kwargs)
        explanation.validate_masks()
        return explanation.threshold(self.threshold_config)

    @staticmethod
    def _attach(explanation, x, edge_index, prediction, target, index, kwargs) -> None:
        explanation.prediction, explanation.target = prediction, target
        if index is not None:
            explanation.index = index
        if is_hetero(x):
            for nt, value in x.items():
                explanation[nt].x = value
            for et, value in edge_index.items():
                explanation[et].edge_index = value
        else:
            explanation.x, explanation.edge_index = x, edge_index
        for key, value in kwargs.items():
            if value is not None and not isinstance(value, dict):
                explanation[key] = value
