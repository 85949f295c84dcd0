"""The python examples in docs/message-passing.md run."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[4] / "docs" / "message-passing.md"


def test_message_passing_doc_examples_run(capsys):
    if not DOC.exists():
        pytest.skip(f"{DOC} not found (tests run outside the monorepo checkout)")
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})
    out = capsys.readouterr().out
    assert "torch.Size([4, 2])" in out and "True" in out
