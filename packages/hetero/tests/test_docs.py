"""The python example in docs/hetero.md runs and prints what the page says."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "hetero.md"


def test_hetero_doc_example_runs(capsys):
    if not DOC.exists():
        pytest.skip(f"{DOC} not found (tests run outside the monorepo checkout)")
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})
    out = capsys.readouterr().out
    assert "{'user': (100, 4), 'item': (40, 4)}" in out
    assert "['item', 'user']" in out
    assert "loss " in out
