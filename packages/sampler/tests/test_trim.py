"""trim_to_layer (geode-core, re-exported here) on NeighborLoader batches: trimmed layers give the
seeds the same outputs as untrimmed ones."""

import torch
from sampler_checks import random_data
from test_hetero_loader import hetero

from geode_core.nn.conv import SAGEConv
from geode_sampler import NeighborLoader, trim_to_layer


def test_trimmed_layers_match_full_layers_on_the_seeds():
    torch.manual_seed(0)
    data = random_data(num_nodes=80, num_edges=600, seed=70)
    convs = [SAGEConv(4, 8), SAGEConv(8, 8), SAGEConv(8, 3)]
    b = next(iter(NeighborLoader(data, [4, 3, 2], batch_size=6)))
    x_full, x, ei = b.x, b.x, b.edge_index
    for i, conv in enumerate(convs):
        x_full = conv(x_full, b.edge_index)
        x, ei, _ = trim_to_layer(i, b.num_sampled_nodes, b.num_sampled_edges, x, ei)
        x = conv(x, ei)
    assert x.size(0) < x_full.size(0)
    assert torch.allclose(x[:b.batch_size], x_full[:b.batch_size], atol=1e-5)


def test_trim_hetero_dicts_from_batch():
    h = hetero(71)
    b = next(iter(NeighborLoader(h, [3, 2], input_nodes="paper", batch_size=4)))
    x, ei, _ = trim_to_layer(1, b.num_sampled_nodes_dict, b.num_sampled_edges_dict, b.x_dict, b.edge_index_dict)
    for nt in h.node_types:
        assert x[nt].size(0) == b[nt].n_id.numel() - b[nt].num_sampled_nodes[-1]
    for et in h.edge_types:
        assert ei[et].size(1) == b[et].edge_index.size(1) - b[et].num_sampled_edges[-1]
