"""The python examples in docs/sampler.md run (the Cora one only where the dataset is)."""

import os
import pathlib
import re

import pytest

from geode_core.testing import python_blocks, run_python_blocks

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "sampler.md"
DATASETS = pathlib.Path(os.environ.get("GEODE_DATASETS", DOC.parents[2] / "shared" / "datasets"))


def blocks():
    return python_blocks(DOC)


def test_examples_without_datasets_run(capsys, restore_registry):
    found = [b for b in blocks() if "Planetoid" not in b]
    assert len(found) >= 2
    run_python_blocks(DOC, found)
    out = capsys.readouterr().out
    assert "link prediction AUC" in out


def test_cora_node_classification_example(capsys, monkeypatch):
    if not (DATASETS / "planetoid" / "raw" / "ind.cora.x").exists():
        pytest.skip(f"Cora raw files not found under {DATASETS} (set GEODE_DATASETS)")
    monkeypatch.setenv("GEODE_DATASETS", str(DATASETS))
    (block,) = [b for b in blocks() if "Planetoid" in b]
    run_python_blocks(DOC, [block])
    accuracy = float(re.search(r"Cora test accuracy: ([0-9.]+)", capsys.readouterr().out).group(1))
    assert accuracy > 0.7
