"""The python examples in docs/message-passing.md run."""

from pathlib import Path

from geode_core.testing import python_blocks, run_python_blocks

DOC = Path(__file__).resolve().parents[4] / "docs" / "message-passing.md"


def test_message_passing_doc_examples_run(capsys):
    blocks = python_blocks(DOC)
    assert len(blocks) >= 2
    run_python_blocks(DOC, blocks)
    out = capsys.readouterr().out
    assert "torch.Size([4, 2])" in out and "True" in out
