import shutil
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # the tests import ipu_graphs

from ipu_graphs import DATASETS, random_graph


@pytest.fixture
def graphs():
    g = torch.Generator().manual_seed(0)
    sizes = [(3, 4), (7, 12), (1, 0), (5, 9), (9, 20), (2, 2), (6, 6), (4, 10), (8, 3), (3, 3)]
    return [random_graph(n, e, g) for n, e in sizes]


@pytest.fixture(scope="session")
def mutag(tmp_path_factory):
    raw = DATASETS / "TU" / "MUTAG" / "raw"
    if not (raw / "MUTAG_A.txt").exists():
        pytest.skip(f"MUTAG raw files not found in {raw} (set GEODE_DATASETS)")
    from geode_core.datasets import TUDataset

    root = tmp_path_factory.mktemp("tu")
    shutil.copytree(raw, root / "MUTAG" / "raw")
    return TUDataset(root, "MUTAG")


@pytest.fixture(scope="session")
def cora(tmp_path_factory):
    raw = DATASETS / "planetoid" / "raw"
    if not (raw / "ind.cora.x").exists():
        pytest.skip(f"Cora raw files not found in {raw} (set GEODE_DATASETS)")
    from geode_core.datasets import Planetoid

    root = tmp_path_factory.mktemp("planetoid")
    (root / "Cora" / "raw").mkdir(parents=True)
    for f in raw.glob("ind.cora.*"):
        shutil.copy(f, root / "Cora" / "raw")
    return Planetoid(root, "Cora")


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """One intra-op thread: small graph batches run several times faster on a shared CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
