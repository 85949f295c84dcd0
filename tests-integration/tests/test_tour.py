"""docs/tutorials/tour.md runs as written with every first-party plugin installed."""

from __future__ import annotations

import pathlib

import pytest

from geode_core.testing import python_blocks, run_python_blocks

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "tutorials" / "tour.md"


def test_tour_runs(capsys):
    blocks = python_blocks(PAGE)
    for plugin in ("geode_aggr", "geode_sampler", "geode_hetero", "geode_stores",
                   "geode_explain", "geode_compile"):
        pytest.importorskip(plugin)
    run_python_blocks(PAGE, blocks)  # the blocks share state
    out = capsys.readouterr().out
    assert "Data(x=[34, 34], edge_index=[2, 156]" in out
    assert "karate test accuracy" in out
    assert "graph breaks: 0" in out
