"""Metrics of explanation quality: ground truth, fidelity, characterization, unfaithfulness."""

from .faithfulness import unfaithfulness
from .fidelity import characterization_score, fidelity, fidelity_curve_auc
from .groundtruth import auroc, groundtruth_metrics

__all__ = ["groundtruth_metrics", "auroc", "fidelity", "characterization_score",
           "fidelity_curve_auc", "unfaithfulness"]
