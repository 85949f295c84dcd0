"""Explanation masks scored against known (ground-truth) masks."""

from __future__ import annotations

import torch
from torch import Tensor

METRICS = ("accuracy", "precision", "recall", "f1_score", "auroc")


def auroc(score: Tensor, label: Tensor) -> float:
    """Area under the ROC curve of ``score`` for binary ``label``: the probability that a
    random positive scores above a random negative (ties count one half)."""
    score, label = score.flatten().double(), label.flatten().bool()
    pos, neg = int(label.sum()), int((~label).sum())
    if pos == 0 or neg == 0:
        raise ValueError(f"auroc needs positive and negative labels, got {pos} positive and "
                         f"{neg} negative")
    order = score.argsort()
    sorted_score = score[order]
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, score.numel() + 1, dtype=torch.float64)
    # average the ranks of tied scores
    _, inverse, counts = torch.unique_consecutive(sorted_score, return_inverse=True, return_counts=True)
    ends = counts.cumsum(0).double()
    mean_rank = ends - (counts.double() - 1) / 2
    ranks[order] = mean_rank[inverse]
    return float((ranks[label].sum() - pos * (pos + 1) / 2) / (pos * neg))


def groundtruth_metrics(pred_mask: Tensor, target_mask: Tensor, metrics: str | list[str] | None = None,
                        threshold: float = 0.5):
    """Score ``pred_mask`` against the bool ``target_mask`` of the same shape.

    Accuracy, precision, recall and F1 use ``pred_mask > threshold``; AUROC uses the raw
    values. Returns one float for a metric name, else a tuple in the order asked
    (default: accuracy, precision, recall, f1_score, auroc).
    """
    if pred_mask.shape != target_mask.shape:
        raise ValueError(f"pred_mask has shape {list(pred_mask.shape)} but target_mask has "
                         f"{list(target_mask.shape)}")
    names = [metrics] if isinstance(metrics, str) else list(metrics or METRICS)
    unknown = [m for m in names if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; available: {', '.join(METRICS)}")
    truth = target_mask.flatten().bool()
    pred = pred_mask.flatten() > threshold
    tp = int((pred & truth).sum())
    fp = int((pred & ~truth).sum())
    fn = int((~pred & truth).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    values = {
        "accuracy": float((pred == truth).double().mean()),
        "precision": precision,
        "recall": recall,
        "f1_score": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }
    out = [auroc(pred_mask, truth) if m == "auroc" else values[m] for m in names]
    return out[0] if isinstance(metrics, str) else tuple(out)
