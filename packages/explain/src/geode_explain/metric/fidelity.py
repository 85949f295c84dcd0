"""Fidelity of an explanation (GraphFramEx, Amara et al., 2022) and the scores built on it."""

from __future__ import annotations

import torch
from torch import Tensor

from ..config import ExplanationType


def _complement(mask):
    return None if mask is None else 1.0 - mask


def fidelity(explainer, explanation) -> tuple[float, float]:
    """``(fid+, fid-)`` of ``explanation`` (thresholded to hard masks for meaningful values).

    With ``y`` the target, ``ŷ`` the prediction, ``ŷ_S`` the prediction on the explanation
    (masks applied) and ``ŷ_C`` the prediction on its complement (``1 - mask``):
    for ``explanation_type="model"``, ``fid+ = 1 - mean[ŷ_C == ŷ]`` and
    ``fid- = 1 - mean[ŷ_S == ŷ]``; for ``"phenomenon"``,
    ``fid+ = mean|[ŷ == y] - [ŷ_C == y]|`` and ``fid- = mean|[ŷ == y] - [ŷ_S == y]|``,
    over the explained ``index``.
    """
    if explainer.model_config.mode.value == "regression":
        raise ValueError("fidelity compares predicted labels; it is not defined for regression")
    node_mask, edge_mask = explanation.get("node_mask"), explanation.get("edge_mask")
    kwargs = explanation.model_kwargs()
    x, edge_index = explanation.x, explanation.edge_index
    index = explanation.get("index")

    def label(node, edge):
        out = explainer.get_masked_prediction(x, edge_index, node, edge, **kwargs)
        out = explainer.get_target(out)
        return out if index is None else out[index]

    y_hat = label(None, None)
    explained = label(node_mask, edge_mask)
    complement = label(_complement(node_mask), _complement(edge_mask))
    if explainer.explainer_config.explanation_type == ExplanationType.model:
        pos = 1.0 - (complement == y_hat).float().mean()
        neg = 1.0 - (explained == y_hat).float().mean()
    else:
        y = explanation.target if index is None else explanation.target[index]
        right = (y_hat == y).float()
        pos = (right - (complement == y).float()).abs().mean()
        neg = (right - (explained == y).float()).abs().mean()
    return float(pos), float(neg)


def characterization_score(pos_fidelity: Tensor | float, neg_fidelity: Tensor | float,
                           pos_weight: float = 0.5, neg_weight: float = 0.5) -> Tensor:
    """Weighted harmonic mean of ``fid+`` and ``1 - fid-``:
    ``(w+ + w-) / (w+ / fid+ + w- / (1 - fid-))``; the weights must sum to 1."""
    if abs(pos_weight + neg_weight - 1.0) > 1e-9:
        raise ValueError(f"pos_weight + neg_weight must be 1, got {pos_weight} + {neg_weight}")
    pos, neg = torch.as_tensor(pos_fidelity, dtype=torch.float64), torch.as_tensor(neg_fidelity, dtype=torch.float64)
    return (pos_weight + neg_weight) / (pos_weight / pos + neg_weight / (1.0 - neg))


def fidelity_curve_auc(pos_fidelity: Tensor, neg_fidelity: Tensor, x: Tensor) -> Tensor:
    """Trapezoidal area under ``fid+ / (1 - fid-)`` against ``x`` (e.g. the thresholds the
    fidelities were measured at); ``x`` must be sorted ascending."""
    pos, neg, x = (torch.as_tensor(t, dtype=torch.float64) for t in (pos_fidelity, neg_fidelity, x))
    if not pos.shape == neg.shape == x.shape or x.dim() != 1:
        raise ValueError(f"pos_fidelity, neg_fidelity and x must be 1-D of one length, got "
                         f"{list(pos.shape)}, {list(neg.shape)}, {list(x.shape)}")
    if bool((neg == 1).any()):
        raise ValueError("neg_fidelity contains 1: fid+ / (1 - fid-) is undefined there")
    if bool((x[1:] < x[:-1]).any()):
        raise ValueError("x must be sorted in ascending order")
    return torch.trapezoid(pos / (1.0 - neg), x)
