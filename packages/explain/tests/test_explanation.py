"""Explanation: thresholds, subgraphs, validation and plots."""

from __future__ import annotations

import sys

import pytest
import torch

from geode_explain import Explanation, HeteroExplanation

EDGES = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 0]])


def make():
    return Explanation(x=torch.arange(8.0).view(4, 2), edge_index=EDGES,
                       node_mask=torch.tensor([[0.9, 0.1], [0.0, 0.0], [0.3, 0.6], [0.2, 0.0]]),
                       edge_mask=torch.tensor([0.8, 0.0, 0.4, 0.1]))


def test_threshold_variants():
    e = make()
    hard = e.threshold("hard", 0.35)
    assert hard.edge_mask.tolist() == [1.0, 0.0, 1.0, 0.0]
    assert hard.node_mask.tolist() == [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    topk = e.threshold({"threshold_type": "topk", "value": 2})
    assert topk.edge_mask.tolist() == pytest.approx([0.8, 0.0, 0.4, 0.0])
    assert e.threshold("topk_hard", 3).edge_mask.tolist() == [1.0, 0.0, 1.0, 1.0]
    assert e.threshold("topk_hard", 10).edge_mask.tolist() == [1.0] * 4
    assert torch.equal(e.threshold().edge_mask, e.edge_mask)
    assert e.edge_mask.tolist() == pytest.approx([0.8, 0.0, 0.4, 0.1])  # the original is untouched


def test_explanation_and_complement_subgraphs():
    e = make()
    sub = e.get_explanation_subgraph()
    # nodes 0, 2, 3 have a non-zero mask; edges 0->1 (node 1 dropped) and 1->2 (mask 0) go
    assert sub.num_nodes == 3 and sub.x.tolist() == [[0.0, 1.0], [4.0, 5.0], [6.0, 7.0]]
    assert sub.edge_index.tolist() == [[1, 2], [2, 0]] and sub.edge_mask.tolist() == pytest.approx([0.4, 0.1])
    comp = e.get_complement_subgraph()
    assert comp.num_nodes == 1 and comp.x.tolist() == [[2.0, 3.0]] and comp.edge_index.numel() == 0


def test_validate_masks():
    e = make()
    assert e.validate_masks()
    e.edge_mask = torch.ones(3)
    with pytest.raises(ValueError, match=r"edge_mask: expected shape \[4\]"):
        e.validate_masks()


def test_hetero_explanation_threshold_and_subgraph():
    e = HeteroExplanation()
    e["user"].x = torch.ones(3, 2)
    e["user"].node_mask = torch.tensor([[1.0], [0.0], [0.5]])
    e["item"].x = torch.ones(2, 2)
    e["item"].node_mask = torch.tensor([[0.2], [0.7]])
    e["user", "buys", "item"].edge_index = torch.tensor([[0, 1, 2], [1, 0, 1]])
    e["user", "buys", "item"].edge_mask = torch.tensor([0.9, 0.8, 0.0])
    assert e.validate_masks() and e.available_explanations == ["node_mask", "edge_mask"]
    hard = e.threshold("hard", 0.6)
    assert hard["item"].node_mask.view(-1).tolist() == [0.0, 1.0]
    sub = e.get_explanation_subgraph()
    assert sub["user"].x.size(0) == 2 and sub["item"].x.size(0) == 2
    # 1->0 goes with user 1; 2->1 has mask 0; 0->1 stays, relabelled
    assert sub["user", "buys", "item"].edge_index.tolist() == [[0], [1]]


def test_plots_write_files(tmp_path):
    pytest.importorskip("matplotlib")
    e = make()
    e.visualize_feature_importance(str(tmp_path / "features.png"), feat_labels=["a", "b"], top_k=1)
    e.visualize_graph(str(tmp_path / "graph.png"))
    for name in ("features.png", "graph.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="feat_labels has 3 entries"):
        e.visualize_feature_importance(str(tmp_path / "x.png"), feat_labels=["a", "b", "c"])
    with pytest.raises(ValueError, match="needs a node_mask"):
        Explanation(edge_index=EDGES, edge_mask=torch.ones(4)).visualize_feature_importance()


def test_plots_without_matplotlib(monkeypatch, tmp_path):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r"pip install 'geode-explain\[plot\]'"):
        make().visualize_feature_importance(str(tmp_path / "f.png"))
