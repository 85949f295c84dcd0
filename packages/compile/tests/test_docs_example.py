"""The examples in docs/compile.md and the compiled-GNN tutorial run as written."""

from __future__ import annotations

import pathlib

import pytest

from geode_core.testing import run_python_blocks

DOCS = pathlib.Path(__file__).resolve().parents[3] / "docs"
PAGES = [DOCS / "compile.md", DOCS / "tutorials" / "compiled-gnns.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page, capsys):
    run_python_blocks(page)  # blocks share state, as on the page
    assert capsys.readouterr().out or page.name == "compile.md"
