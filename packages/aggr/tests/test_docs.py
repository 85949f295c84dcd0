"""The example in docs/aggr.md runs."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "aggr.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs/aggr.md is not part of this checkout")
def test_docs_example_runs():
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    exec(compile(code, str(DOC), "exec"), {})
