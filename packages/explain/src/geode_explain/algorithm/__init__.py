"""Explanation algorithms: each an :class:`ExplainerAlgorithm`, registered by name."""

from .attention_explainer import AttentionExplainer
from .base import ExplainerAlgorithm
from .captum_explainer import CaptumExplainer
from .gnn_explainer import GNNExplainer
from .gradients import IntegratedGradients, Saliency
from .graphmask_explainer import GraphMaskExplainer
from .pg_explainer import PGExplainer

#: registered name -> "module:class" (imported on first lookup)
BUILTIN = {
    "GNNExplainer": "geode_explain.algorithm.gnn_explainer:GNNExplainer",
    "PGExplainer": "geode_explain.algorithm.pg_explainer:PGExplainer",
    "Saliency": "geode_explain.algorithm.gradients:Saliency",
    "IntegratedGradients": "geode_explain.algorithm.gradients:IntegratedGradients",
    "CaptumExplainer": "geode_explain.algorithm.captum_explainer:CaptumExplainer",
    "AttentionExplainer": "geode_explain.algorithm.attention_explainer:AttentionExplainer",
    "GraphMaskExplainer": "geode_explain.algorithm.graphmask_explainer:GraphMaskExplainer",
}

__all__ = ["ExplainerAlgorithm", "GNNExplainer", "PGExplainer", "Saliency", "IntegratedGradients",
           "CaptumExplainer", "AttentionExplainer", "GraphMaskExplainer", "BUILTIN"]
