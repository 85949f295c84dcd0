"""docs/tutorials/tour.md runs as written with every first-party plugin installed."""

from __future__ import annotations

import pathlib
import re

import pytest

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "tutorials" / "tour.md"


def test_tour_runs(capsys):
    if not PAGE.exists():
        pytest.skip(f"{PAGE} is not beside this checkout")
    for plugin in ("geode_aggr", "geode_sampler", "geode_hetero", "geode_stores",
                   "geode_explain", "geode_compile"):
        pytest.importorskip(plugin)
    namespace: dict = {}
    for block in re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S):
        exec(compile(block, str(PAGE), "exec"), namespace)  # the blocks share state
    out = capsys.readouterr().out
    assert "Data(x=[34, 34], edge_index=[2, 156]" in out
    assert "karate test accuracy" in out
    assert "graph breaks: 0" in out
