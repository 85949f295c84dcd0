"""The python example in docs/stores.md runs and prints what the page says."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "stores.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs/stores.md not in this checkout")
def test_out_of_core_example_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})
    assert capsys.readouterr().out.split() == ["(10000,", "16)", "16", "True"]
