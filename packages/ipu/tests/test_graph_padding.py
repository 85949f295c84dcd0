"""Padding one graph: Data and HeteroData (per-type budgets, padding between padding nodes, masks)."""

import pytest
import torch

from geode_core.data import HeteroData
from geode_ipu import FixedSizeDataLoader, FixedSizeOptions, pad_hetero_data

WRITES = ("author", "writes", "paper")


def hetero(authors: int, papers: int, writes: int, seed: int = 0) -> HeteroData:
    g = torch.Generator().manual_seed(seed)
    data = HeteroData()
    data["author"].x = torch.randn(authors, 2, generator=g)
    data["paper"].x = torch.randn(papers, 3, generator=g)
    data["paper"].y = torch.randint(0, 4, (papers,), generator=g)
    data[WRITES].edge_index = torch.stack([torch.randint(0, authors, (writes,), generator=g),
                                           torch.randint(0, papers, (writes,), generator=g)])
    data[WRITES].edge_attr = torch.randn(writes, 1, generator=g)
    data.batch_size = 2
    return data


def test_pad_hetero_data_layout_and_masks():
    options = FixedSizeOptions(num_nodes={"author": 6, "paper": 8}, num_edges={WRITES: 12},
                               node_pad_value=-1)
    data = hetero(4, 5, 7)
    out = pad_hetero_data(data, options)
    assert out["author"].x.shape == (6, 2) and out["paper"].x.shape == (8, 3)
    assert out[WRITES].edge_index.shape == (2, 12) and out[WRITES].edge_attr.shape == (12, 1)
    assert torch.equal(out["author"].x[:4], data["author"].x) and (out["author"].x[4:] == -1).all()
    assert torch.equal(out["paper"].nodes_mask, torch.arange(8) < 5)
    assert torch.equal(out[WRITES].edges_mask, torch.arange(12) < 7)
    pad = out[WRITES].edge_index[:, 7:]
    assert (pad[0] >= 4).all() and (pad[0] < 6).all() and (pad[1] >= 5).all() and (pad[1] < 8).all()
    assert out.batch_size == 2  # graph-level attributes stay


def test_pad_hetero_data_errors_name_the_type():
    options = FixedSizeOptions(num_nodes={"author": 4, "paper": 8}, num_edges={WRITES: 12})
    with pytest.raises(ValueError, match="'author' has 4 nodes"):
        pad_hetero_data(hetero(4, 5, 7), options)
    with pytest.raises(ValueError, match="per-type budgets"):
        pad_hetero_data(hetero(4, 5, 7), FixedSizeOptions(num_nodes=10))


def test_loader_pads_one_heterogeneous_graph_per_batch():
    data = [hetero(3, 4, 5, 0), hetero(5, 2, 9, 1), hetero(2, 6, 3, 2)]
    loader = FixedSizeDataLoader(data, batch_size=2)
    assert loader.fixed_size_options.num_nodes == {"author": 6, "paper": 7}
    batches = list(loader)
    assert {(b["author"].x.shape, b["paper"].x.shape, b[WRITES].edge_index.shape) for b in batches} \
        == {((6, 2), (7, 3), (2, 9))}
    assert [int(b["paper"].nodes_mask.sum()) for b in batches] == [4, 2, 6]
    with pytest.raises(ValueError, match="one per batch"):
        list(FixedSizeDataLoader(data, batch_size=3))
    small = FixedSizeOptions(num_nodes={"author": 5, "paper": 8}, num_edges={WRITES: 12})
    skipped = list(FixedSizeDataLoader(data, batch_size=2, fixed_size_options=small,
                                       over_size_strategy="skip"))
    assert len(skipped) == 2


def test_pad_data_keeps_seeds_first_and_batch_size():
    from ipu_graphs import random_graph

    from geode_core.nn import GCNConv
    from geode_ipu import pad_data

    g = torch.Generator().manual_seed(4)
    data = random_graph(9, 20, g)
    data.batch_size = 3
    data.n_id = torch.arange(100, 109)
    out = pad_data(data, FixedSizeOptions(num_nodes=16, num_edges=32, node_pad_value=-1))
    assert out.batch_size == 3 and out.num_nodes == 16 and out.num_edges == 32
    assert torch.equal(out.n_id[:9], data.n_id) and (out.n_id[9:] == -1).all()
    assert torch.equal(out.nodes_mask, torch.arange(16) < 9)
    assert not out.nodes_mask[out.edge_index[:, ~out.edges_mask].reshape(-1)].any()
    conv = GCNConv(3, 4, add_self_loops=False)
    torch.testing.assert_close(conv(out.x, out.edge_index)[:9], conv(data.x, data.edge_index))
    with pytest.raises(ValueError, match="do not fit"):
        pad_data(data, FixedSizeOptions(num_nodes=9, num_edges=32))
    featureless = pad_data(type(data)(edge_index=data.edge_index, num_nodes=9),
                        FixedSizeOptions(num_nodes=12, num_edges=25))
    assert featureless.num_nodes == 12
