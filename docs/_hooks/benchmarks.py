"""mkdocs hook: benchmark tables and plots rendered from bench/results/*.json at build time.

A page writes ``<!-- bench:SUITE -->`` where a suite's table belongs and links
``assets/bench/SUITE.png`` for its plot; both come from ``bench/render.py``, so the site
always shows the committed results and no picture is committed.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re

from mkdocs.structure.files import File

ROOT = pathlib.Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("geode_bench_render", ROOT / "bench" / "render.py")
render = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render)

MARKER = re.compile(r"<!-- bench:([\w\-]+) -->")


def on_files(files, config):
    for name in render.suites():
        png = render.plot_png(name)
        if png is not None:
            files.append(File.generated(config, f"assets/bench/{name}.png", content=png))
    return files


def on_page_markdown(markdown, page, config, files):
    return MARKER.sub(lambda m: render.table(m.group(1)), markdown)
