"""The PopTorch Geometric tutorial flow with Geode names, and docs/ipu.md's CPU example."""

import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from ipu_graphs import DATASETS

from geode_core.nn import GCNConv
from geode_core.nn.aggr import MeanAggregation
from geode_core.testing import python_blocks, run_python_blocks
from geode_ipu import FixedSizeDataLoader, FixedSizeOptions, masked_cross_entropy, static_shapes

PAGE = Path(__file__).resolve().parents[3] / "docs" / "ipu.md"


def test_mutag_with_tutorial_options(mutag):
    options = FixedSizeOptions(num_nodes=100, num_edges=200, num_graphs=10)
    loader = FixedSizeDataLoader(mutag, batch_size=10, fixed_size_options=options,
                                 fixed_size_strategy="stream_pack")
    batches = list(loader)
    assert {(b.num_nodes, b.num_edges, b.num_graphs) for b in batches} == {(100, 200, 10)}
    assert sum(int(b.graphs_mask.sum()) for b in batches) == 188
    assert sum(int(b.nodes_mask.sum()) for b in batches) == 3371
    assert sum(int(b.edges_mask.sum()) for b in batches) == 7442
    # padding every 9 graphs to 100 nodes overflows: the error says so and how to fix it
    with pytest.raises(ValueError, match="from_dataset"):
        list(FixedSizeDataLoader(mutag, batch_size=10, fixed_size_options=options))


def test_mutag_automatic_options_train_a_gcn(mutag):
    torch.manual_seed(0)
    loader = FixedSizeDataLoader(mutag, batch_size=10, shuffle=True, seed=0)
    conv = GCNConv(7, 16, add_self_loops=False)
    head = torch.nn.Linear(16, 2)
    pool = MeanAggregation()
    params = [*conv.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=0.01)
    losses = []
    with static_shapes():
        for _ in range(2):
            for b in loader:
                out = head(pool(conv(b.x, b.edge_index).relu(), b.batch, dim_size=10))
                loss = masked_cross_entropy(out, b.y, b.graphs_mask)
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append(loss.item())
    assert all(torch.isfinite(torch.tensor(losses)))
    assert sum(losses[-15:]) < sum(losses[:15])


def test_cora_where_mask_loss_equals_masked_loss(cora):
    data = cora[0]
    torch.manual_seed(0)
    conv = GCNConv(data.num_features, 7)
    out = conv(data.x, data.edge_index)
    y = torch.where(data.train_mask, data.y, -100)
    expected = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
    torch.testing.assert_close(F.cross_entropy(out, y), expected)
    torch.testing.assert_close(masked_cross_entropy(out, data.y, data.train_mask), expected)


def test_docs_page_cpu_example_runs(tmp_path, monkeypatch, capsys, mutag, cora):
    blocks = python_blocks(PAGE)
    assert len(blocks) == 3
    shutil.copytree(DATASETS / "TU" / "MUTAG" / "raw", tmp_path / "data" / "TU" / "MUTAG" / "raw")
    raw = tmp_path / "data" / "Planetoid" / "Cora" / "raw"
    raw.mkdir(parents=True)
    for f in (DATASETS / "planetoid" / "raw").glob("ind.cora.*"):
        shutil.copy(f, raw)
    monkeypatch.chdir(tmp_path)
    run_python_blocks(PAGE, blocks)
    printed = capsys.readouterr().out
    assert "epoch 2: loss" in printed and "test accuracy:" in printed
    assert "Batch(num_graphs=10, " in printed and "'nodes':" in printed
