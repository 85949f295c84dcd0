"""The python example in docs/stores.md runs and prints what the page says."""

import pathlib

from geode_core.testing import run_python_blocks

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "stores.md"


def test_out_of_core_example_runs(capsys):
    run_python_blocks(DOC)
    assert capsys.readouterr().out.split() == ["(10000,", "16)", "16", "True"]
