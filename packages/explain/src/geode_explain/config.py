"""Explainer, model and threshold configurations, validated on construction."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class _Choice(str, Enum):
    @classmethod
    def parse(cls, value: Any, argument: str):
        if value is None or isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            options = ", ".join(repr(m.value) for m in cls)
            raise ValueError(f"{argument} must be one of {options}, got {value!r}") from None


class ExplanationType(_Choice):
    """``model``: explain the model's own prediction; ``phenomenon``: explain a given target."""
    model = "model"
    phenomenon = "phenomenon"


class MaskType(_Choice):
    """``object``: one value per node/edge; ``common_attributes``: one per feature shared by
    all nodes; ``attributes``: one per node and feature."""
    object = "object"
    common_attributes = "common_attributes"
    attributes = "attributes"


class ModelMode(_Choice):
    binary_classification = "binary_classification"
    multiclass_classification = "multiclass_classification"
    regression = "regression"


class ModelTaskLevel(_Choice):
    node = "node"
    edge = "edge"
    graph = "graph"


class ModelReturnType(_Choice):
    raw = "raw"
    probs = "probs"
    log_probs = "log_probs"


class ThresholdType(_Choice):
    hard = "hard"
    topk = "topk"
    topk_hard = "topk_hard"


@dataclass
class ExplainerConfig:
    """What is explained and which masks are learned."""

    explanation_type: ExplanationType | str
    node_mask_type: MaskType | str | None = None
    edge_mask_type: MaskType | str | None = None

    def __post_init__(self):
        self.explanation_type = ExplanationType.parse(self.explanation_type, "explanation_type")
        if self.explanation_type is None:
            raise ValueError("explanation_type must be 'model' or 'phenomenon', got None")
        self.node_mask_type = MaskType.parse(self.node_mask_type, "node_mask_type")
        self.edge_mask_type = MaskType.parse(self.edge_mask_type, "edge_mask_type")
        if self.edge_mask_type not in (None, MaskType.object):
            raise ValueError(f"edge_mask_type must be None or 'object', got "
                             f"{self.edge_mask_type.value!r}")
        if self.node_mask_type is None and self.edge_mask_type is None:
            raise ValueError("node_mask_type and edge_mask_type are both None: nothing to explain")


@dataclass
class ModelConfig:
    """What the model predicts: ``mode``, ``task_level`` and ``return_type``."""

    mode: ModelMode | str
    task_level: ModelTaskLevel | str
    return_type: ModelReturnType | str = "raw"

    def __post_init__(self):
        self.mode = ModelMode.parse(self.mode, "model_config['mode']")
        self.task_level = ModelTaskLevel.parse(self.task_level, "model_config['task_level']")
        self.return_type = ModelReturnType.parse(self.return_type, "model_config['return_type']")
        if self.mode is None or self.task_level is None or self.return_type is None:
            raise ValueError(f"model_config needs mode, task_level and return_type, got {self}")
        if self.mode == ModelMode.regression and self.return_type != ModelReturnType.raw:
            raise ValueError(f"a regression model must have return_type='raw', got "
                             f"{self.return_type.value!r}")
        if self.mode == ModelMode.binary_classification and \
                self.return_type == ModelReturnType.log_probs:
            raise ValueError("a binary classifier must have return_type 'raw' or 'probs', got "
                             "'log_probs'")


@dataclass
class ThresholdConfig:
    """How masks are thresholded: ``hard`` (``mask > value`` as 0/1), ``topk`` (keep the
    ``value`` largest entries, zero the rest) or ``topk_hard`` (the top ``value`` as 1)."""

    threshold_type: ThresholdType | str
    value: float | int

    def __post_init__(self):
        self.threshold_type = ThresholdType.parse(self.threshold_type, "threshold_type")
        if self.threshold_type is None:
            raise ValueError("threshold_type must be 'hard', 'topk' or 'topk_hard', got None")
        if self.threshold_type == ThresholdType.hard:
            if not isinstance(self.value, (int, float)) or not 0.0 <= self.value <= 1.0:
                raise ValueError(f"a 'hard' threshold value must be a number in [0, 1], got "
                                 f"{self.value!r}")
        elif not isinstance(self.value, int) or isinstance(self.value, bool) or self.value <= 0:
            raise ValueError(f"a '{self.threshold_type.value}' threshold value must be a positive "
                             f"int, got {self.value!r}")


def cast_config(cls, value, argument: str):
    """``cls`` from an instance, a dict of its fields, or None (for optional configs)."""
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, dict):
        try:
            return cls(**value)
        except TypeError as exc:
            raise ValueError(f"{argument}: {exc}") from None
    raise TypeError(f"{argument} must be a dict or {cls.__name__}, got {type(value).__name__}")
