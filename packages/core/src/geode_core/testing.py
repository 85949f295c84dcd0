"""Test helpers for running the python examples of a Markdown documentation page.

Used by every Geode package's docs tests, and open to plugins that document themselves the
same way. pytest is imported only when a page is missing (the test is then skipped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def python_blocks(page: Path, after: str | None = None) -> list[str]:
    """The ```` ```python ```` blocks of ``page`` (only those after the line ``after``).

    Skips the calling test when the page is not there (a package tested outside the
    monorepo checkout); fails when the page has no such block.
    """
    if not page.exists():
        import pytest

        pytest.skip(f"{page} not found (tests run outside the monorepo checkout)")
    text = page.read_text()
    if after is not None:
        text = text.split(after, 1)[1]
    blocks = _PYTHON_BLOCK.findall(text)
    if not blocks:
        raise AssertionError(f"{page} has no python example")
    return blocks


def run_python_blocks(page: Path, blocks: Iterable[str] | None = None) -> dict:
    """Execute ``blocks`` (default: all of ``page``'s) in order in one namespace, as a reader
    running the page top to bottom would; returns that namespace."""
    namespace: dict = {}
    for block in python_blocks(page) if blocks is None else blocks:
        exec(compile(block, str(page), "exec"), namespace)
    return namespace
