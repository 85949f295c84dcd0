"""The python example in docs/hetero.md runs and prints what the page says."""

from pathlib import Path

from geode_core.testing import run_python_blocks

DOC = Path(__file__).resolve().parents[3] / "docs" / "hetero.md"


def test_hetero_doc_example_runs(capsys):
    run_python_blocks(DOC)
    out = capsys.readouterr().out
    assert "{'user': (100, 4), 'item': (40, 4)}" in out
    assert "['item', 'user']" in out
    assert "loss " in out
