"""The examples in docs/compile.md and the compiled-GNN tutorial run as written."""

from __future__ import annotations

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[3] / "docs"
PAGES = [DOCS / "compile.md", DOCS / "tutorials" / "compiled-gnns.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page, capsys):
    if not page.exists():
        pytest.skip(f"{page} is not beside this checkout")
    namespace: dict = {}
    for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S):
        exec(compile(block, str(page), "exec"), namespace)  # blocks share state, as on the page
    assert capsys.readouterr().out or page.name == "compile.md"
