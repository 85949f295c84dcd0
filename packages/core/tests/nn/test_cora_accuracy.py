"""Published accuracy bands on Cora (public split): GCN >= 79%, GAT >= 80%, mean of 3 seeds."""

import os
import shutil
import time
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from geode_core.datasets import Planetoid
from geode_core.nn import GATConv, GCNConv
from geode_core.transforms import NormalizeFeatures

DATASETS = Path(os.environ.get("GEODE_DATASETS", Path(__file__).resolve().parents[4].parent / "shared" / "datasets"))
RAW = DATASETS / "planetoid" / "raw"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """A graph this small trains fastest single-threaded (and steadiest on a shared CPU)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def cora(tmp_path_factory):
    if not (RAW / "ind.cora.x").exists():
        pytest.skip(f"Cora raw files not found in {RAW} (set GEODE_DATASETS to the shared datasets folder)")
    root = tmp_path_factory.mktemp("planetoid")
    (root / "Cora" / "raw").mkdir(parents=True)
    for f in RAW.glob("ind.cora.*"):
        shutil.copy(f, root / "Cora" / "raw")
    return Planetoid(root, "Cora", transform=NormalizeFeatures())[0]


def feature_dropout(x, p, training):
    """Dropout of sparse CSR features (Cora's bag-of-words is ~1% dense; zeros stay zero, so
    this is ``F.dropout`` on the dense matrix, drawing 49k random numbers instead of 3.9M)."""
    if not training or p == 0.0:
        return x
    keep = (torch.rand(x.values().numel()) >= p).to(x.dtype) / (1 - p)
    return torch.sparse_csr_tensor(x.crow_indices(), x.col_indices(), x.values() * keep, x.shape)


class GCN(torch.nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.conv1, self.conv2 = GCNConv(d_in, 16, cached=True), GCNConv(16, d_out, cached=True)

    def forward(self, x, edge_index):
        x = feature_dropout(x, 0.5, self.training)
        x = F.dropout(F.relu(self.conv1(x, edge_index)), 0.5, self.training)
        return self.conv2(x, edge_index)


class GAT(torch.nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.conv1 = GATConv(d_in, 8, heads=8, dropout=0.6)
        self.conv2 = GATConv(64, d_out, heads=1, concat=False, dropout=0.6)

    def forward(self, x, edge_index):
        x = feature_dropout(x, 0.6, self.training)
        x = F.dropout(F.elu(self.conv1(x, edge_index)), 0.6, self.training)
        return self.conv2(x, edge_index)


def test_accuracy(data, model_cls, lr, seed, epochs):
    """Test accuracy after ``epochs`` full-batch Adam steps (features fed as sparse CSR)."""
    torch.manual_seed(seed)
    x = data.x.to_sparse_csr()
    model = model_cls(data.num_features, int(data.y.max()) + 1)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=5e-4)
    for _ in range(epochs):
        model.train()
        opt.zero_grad()
        F.cross_entropy(model(x, data.edge_index)[data.train_mask], data.y[data.train_mask]).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(x, data.edge_index).argmax(-1)
    return float((pred[data.test_mask] == data.y[data.test_mask]).float().mean())


test_accuracy.__test__ = False  # a helper, not a test


@pytest.mark.parametrize(("model_cls", "lr", "epochs", "band"),
                         [(GCN, 0.01, 200, 0.79), (GAT, 0.005, 150, 0.80)], ids=["gcn", "gat"])
def test_cora_accuracy_band(cora, model_cls, lr, epochs, band):
    start = time.perf_counter()
    accuracies = [test_accuracy(cora, model_cls, lr, seed, epochs) for seed in range(3)]
    mean = sum(accuracies) / len(accuracies)
    assert mean >= band, f"{model_cls.__name__} on Cora: mean test accuracy {mean:.3f} < {band} ({accuracies})"
    print(f"{model_cls.__name__}: {accuracies} mean {mean:.3f} in {time.perf_counter() - start:.1f}s")
