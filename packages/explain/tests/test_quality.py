"""BA-shapes quality bar (the protocol of bench/explain.py, on a subset of motif nodes)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "explain.py"


def load_bench():
    if not BENCH.exists():
        pytest.skip(f"{BENCH} not found (tests run outside the monorepo checkout)")
    spec = importlib.util.spec_from_file_location("bench_explain", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_ba_shapes_gnnexplainer_and_pgexplainer_auroc():
    bench = load_bench()
    data = bench.ba_shapes()
    model, accuracy = bench.train_gcn(data)
    assert accuracy >= 0.95
    nodes = bench.motif_nodes(data, 10)
    for method in ("GNNExplainer", "PGExplainer"):
        auroc = bench.pooled_auroc(data, bench.run_geode(model, data, nodes, method))
        assert auroc >= 0.90, f"{method}: pooled AUROC {auroc:.3f} < 0.90"
