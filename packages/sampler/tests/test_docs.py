import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "sampler.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs/sampler.md not in this checkout")
def test_docs_example_runs():
    for block in re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S):
        exec(compile(block, str(DOC), "exec"), {})
