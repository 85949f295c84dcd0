"""The example in docs/compile.md runs as written."""

from __future__ import annotations

import pathlib
import re

import pytest

PAGE = pathlib.Path(__file__).resolve().parents[3] / "docs" / "compile.md"


@pytest.mark.skipif(not PAGE.exists(), reason="docs/compile.md is not beside this checkout")
def test_compile_page_example_runs():
    for block in re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S):
        exec(compile(block, str(PAGE), "exec"), {})
