"""Explain GNN predictions: Explainer, GNNExplainer, PGExplainer, gradient methods, metrics and plots."""

from .algorithm import (
    AttentionExplainer,
    CaptumExplainer,
    ExplainerAlgorithm,
    GNNExplainer,
    GraphMaskExplainer,
    IntegratedGradients,
    PGExplainer,
    Saliency,
)
from .config import (
    ExplainerConfig,
    ExplanationType,
    MaskType,
    ModelConfig,
    ModelMode,
    ModelReturnType,
    ModelTaskLevel,
    ThresholdConfig,
    ThresholdType,
)
from .explainer import Explainer
from .explanation import Explanation, HeteroExplanation
from .metric import (
    characterization_score,
    fidelity,
    fidelity_curve_auc,
    groundtruth_metrics,
    unfaithfulness,
)

__version__ = "0.1.0"

__all__ = [
    "Explainer", "Explanation", "HeteroExplanation", "ExplainerAlgorithm",
    "GNNExplainer", "PGExplainer", "Saliency", "IntegratedGradients", "CaptumExplainer",
    "AttentionExplainer", "GraphMaskExplainer",
    "ExplainerConfig", "ModelConfig", "ThresholdConfig", "ExplanationType", "MaskType",
    "ModelMode", "ModelTaskLevel", "ModelReturnType", "ThresholdType",
    "groundtruth_metrics", "fidelity", "characterization_score", "fidelity_curve_auc",
    "unfaithfulness",
]
