"""The python example in docs/explain.md runs and writes both plots."""

from pathlib import Path

import pytest

from geode_core.testing import python_blocks, run_python_blocks

DOC = Path(__file__).resolve().parents[3] / "docs" / "explain.md"


def test_explain_doc_example_runs(tmp_path, monkeypatch, capsys):
    blocks = python_blocks(DOC)
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    run_python_blocks(DOC, blocks)
    out = capsys.readouterr().out
    assert "['node_mask', 'edge_mask']" in out and "AUROC vs house edges:" in out
    for name in ("feature_importance.png", "explanation_graph.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
