"""explain() reports graph breaks with locations; the step runner checks shapes."""

from __future__ import annotations

import pytest
import torch
from compile_models import Breaking, TwoLayer, random_graph

from geode_compile import StaticStepRunner, explain
from geode_compile.runner import ShapeMismatchError


def test_explain_clean_module_has_no_breaks():
    x, edge_index = random_graph(20, 60)
    report = explain(TwoLayer(8), x, edge_index)
    assert report.graph_break_count == 0
    assert report.graph_count == 1


def test_explain_reports_item_break_with_location():
    x, edge_index = random_graph(20, 60)
    report = explain(Breaking(8), x, edge_index)
    assert report.graph_break_count >= 1
    assert any("compile_models.py:" in str(b.location) for b in report.breaks), str(report)


def test_runner_runs_step_and_rejects_other_shapes():
    model = TwoLayer(8)
    calls = []

    def step(x, edge_index):
        calls.append(x.shape)
        return model(x, edge_index).sum()

    x, edge_index = random_graph(20, 60)
    runner = StaticStepRunner(step, (x, edge_index))
    assert torch.allclose(runner(x, edge_index), model(x, edge_index).sum())
    x2, edge_index2 = random_graph(21, 60)
    with pytest.raises(ShapeMismatchError, match="argument 0"):
        runner(x2, edge_index2)
    fallback = StaticStepRunner(step, (x, edge_index), fallback=True)
    with pytest.warns(RuntimeWarning, match="eagerly"):
        fallback(x2, edge_index2)
    assert calls[-1] == x2.shape
