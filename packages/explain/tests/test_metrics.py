"""Metrics against values computed by hand."""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from geode_core.nn import MessagePassing
from geode_explain import Explainer, Explanation, Saliency
from geode_explain.metric import (
    characterization_score,
    fidelity,
    fidelity_curve_auc,
    groundtruth_metrics,
    unfaithfulness,
)


def test_groundtruth_metrics_hand_values():
    pred = torch.tensor([0.9, 0.2, 0.7, 0.4, 0.6])
    truth = torch.tensor([True, False, False, True, True])
    # thresholded: [1, 0, 1, 0, 1] -> tp 2, fp 1, fn 1, tn 1
    acc, prec, rec, f1, auc = groundtruth_metrics(pred, truth)
    assert (acc, prec, rec, f1) == pytest.approx((0.6, 2 / 3, 2 / 3, 2 / 3))
    assert auc == pytest.approx(4 / 6)  # positives beat negatives in 4 of the 6 pairs
    assert groundtruth_metrics(pred, truth, "recall") == pytest.approx(2 / 3)
    assert groundtruth_metrics(pred, truth, ["f1_score"], threshold=0.8) == pytest.approx((0.5,))
    with pytest.raises(ValueError, match="unknown metric"):
        groundtruth_metrics(pred, truth, "mcc")
    with pytest.raises(ValueError, match="shape"):
        groundtruth_metrics(pred, truth[:3])


def test_auroc_equals_pairwise_count_with_ties():
    g = torch.Generator().manual_seed(0)
    score = torch.randint(0, 4, (40,), generator=g).float()
    label = torch.rand(40, generator=g) > 0.6
    pos, neg = score[label].tolist(), score[~label].tolist()
    expected = sum(1.0 if p > n else 0.5 if p == n else 0.0
                   for p, n in itertools.product(pos, neg)) / (len(pos) * len(neg))
    assert groundtruth_metrics(score, label, "auroc") == pytest.approx(expected)
    with pytest.raises(ValueError, match="positive and negative"):
        groundtruth_metrics(score, torch.ones(40, dtype=torch.bool), "auroc")


class SumModel(torch.nn.Module):
    """``out_i = x_i + sum_{j -> i} x_j`` (the messages carry the explanation mask)."""

    def __init__(self):
        super().__init__()
        self.conv = MessagePassing(aggr="sum")

    def forward(self, x, edge_index):
        return x + self.conv.propagate(edge_index, x=x)


X = torch.tensor([[1.0, 0.0], [0.0, 2.0], [0.0, 3.0], [3.0, 0.0]])
EDGES = torch.tensor([[1, 2, 3], [0, 0, 1]])  # 1->0, 2->0, 3->1
# full: node0 [1, 5] -> 1, node1 [3, 2] -> 0
# explanation keeps 1->0 and 3->1: node0 [1, 2] -> 1, node1 [3, 2] -> 0 (both unchanged)
# complement keeps 2->0 only:     node0 [1, 3] -> 1, node1 [0, 2] -> 1 (node1 flips)


def sum_explainer(explanation_type="model"):
    return Explainer(SumModel(), Saliency(), explanation_type,
                     dict(mode="multiclass_classification", task_level="node"), edge_mask_type="object")


def explanation(target):
    return Explanation(x=X, edge_index=EDGES, edge_mask=torch.tensor([1.0, 0.0, 1.0]),
                       index=torch.tensor([0, 1]), target=target)


def test_fidelity_hand_values():
    assert fidelity(sum_explainer(), explanation(torch.tensor([1, 0, 1, 0]))) == pytest.approx((0.5, 0.0))
    # phenomenon, target [0, 0]: right = [0, 1]; complement right = [0, 0]; explanation right = [0, 1]
    pos, neg = fidelity(sum_explainer("phenomenon"), explanation(torch.tensor([0, 0, 0, 0])))
    assert (pos, neg) == pytest.approx((0.5, 0.0))


def test_characterization_and_curve_hand_values():
    assert float(characterization_score(0.8, 0.5)) == pytest.approx(1 / (0.5 / 0.8 + 0.5 / 0.5))
    assert float(characterization_score(0.5, 0.0, 0.2, 0.8)) == pytest.approx(1 / (0.2 / 0.5 + 0.8))
    with pytest.raises(ValueError, match="must be 1"):
        characterization_score(0.5, 0.5, 0.5, 0.6)
    auc = fidelity_curve_auc(torch.tensor([0.2, 0.4, 0.6]), torch.tensor([0.5, 0.5, 0.0]),
                             torch.tensor([0.0, 1.0, 2.0]))
    assert float(auc) == pytest.approx((0.4 + 0.8) / 2 + (0.8 + 0.6) / 2)
    with pytest.raises(ValueError, match="contains 1"):
        fidelity_curve_auc(torch.tensor([0.2]), torch.tensor([1.0]), torch.tensor([0.0]))


def test_unfaithfulness_hand_value():
    def softmax(a, b):
        return [math.exp(a) / (math.exp(a) + math.exp(b)), math.exp(b) / (math.exp(a) + math.exp(b))]

    # node0: full [1, 5], explanation [1, 2]; node1: full [3, 2], explanation [3, 2]
    p, q = softmax(1, 5), softmax(1, 2)
    kl = sum(pi * math.log(pi / qi) for pi, qi in zip(p, q)) / 2  # node1 contributes 0
    value = unfaithfulness(sum_explainer(), explanation(torch.tensor([1, 0, 1, 0])))
    assert value == pytest.approx(1 - math.exp(-kl), rel=1e-5)
    with pytest.raises(ValueError, match="feature-level node mask"):
        unfaithfulness(sum_explainer(), explanation(torch.tensor([1, 0, 1, 0])), top_k=1)
