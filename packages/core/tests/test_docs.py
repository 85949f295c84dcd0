"""The python example in docs/data.md runs."""

from pathlib import Path

from geode_core.testing import run_python_blocks

DOC = Path(__file__).resolve().parents[3] / "docs" / "data.md"


def test_data_doc_example_runs(capsys):
    run_python_blocks(DOC)
    out = capsys.readouterr().out
    assert "Data(x=[3, 16], edge_index=[2, 4], y=[3])" in out
    assert "34 156 2" in out
    for line in ("[0, 6, 12]", "4 True", "[0.0, 1.0]", "80 400 60"):
        assert line in out, line
