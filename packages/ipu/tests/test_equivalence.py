"""A model's outputs on real nodes and graphs equal those on the unpadded batch."""

import pytest
import torch

from geode_core.data import Batch
from geode_core.nn import GATConv, GCNConv
from geode_core.nn.aggr import MaxAggregation, MeanAggregation, SumAggregation
from geode_core.utils import softmax
from geode_ipu import FixedSizeOptions, pad_data_list, static_shapes


class GraphModel(torch.nn.Module):
    """GCN (no self-loops added) -> ReLU -> GCN -> global pooling over a fixed graph count."""

    def __init__(self, pool, conv=GCNConv):
        super().__init__()
        kwargs = {"add_self_loops": False}
        self.conv1, self.conv2 = conv(3, 8, **kwargs), conv(8, 4, **kwargs)
        self.pool = pool

    def node_embeddings(self, batch):
        h = self.conv1(batch.x, batch.edge_index).relu()
        return self.conv2(h, batch.edge_index)

    def forward(self, batch):
        h = self.node_embeddings(batch)
        return h, self.pool(h, batch.batch, dim_size=batch.num_graphs)


def padded_and_plain(graphs, **pad_values):
    options = FixedSizeOptions(num_nodes=64, num_edges=128, num_graphs=len(graphs) + 3, **pad_values)
    return pad_data_list(graphs, options), Batch.from_data_list(graphs)


@pytest.mark.parametrize("pool", [SumAggregation(), MeanAggregation(), MaxAggregation()])
def test_gcn_and_pooling_match_on_real_entries(graphs, pool):
    torch.manual_seed(0)
    model = GraphModel(pool).double()
    data = [g.apply(lambda t: t.double() if t.is_floating_point() else t) for g in graphs[:5]]
    padded, plain = padded_and_plain(data, node_pad_value=7.0)
    with static_shapes():
        nodes_p, graphs_p = model(padded)
    nodes_u, graphs_u = model(plain)
    assert nodes_p.shape[0] == 64 and graphs_p.shape[0] == 8
    torch.testing.assert_close(nodes_p[padded.nodes_mask], nodes_u, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(graphs_p[padded.graphs_mask], graphs_u, rtol=1e-12, atol=1e-12)


def test_sum_outputs_are_exact_in_float32(graphs):
    model = GraphModel(SumAggregation())
    with torch.no_grad():  # integer-valued weights and features: sums are exact
        model.conv1.lin.weight.copy_(torch.ones(8, 3))
        model.conv2.lin.weight.copy_(torch.ones(4, 8))
    data = [g.clone() for g in graphs[:4]]
    for g in data:
        g.x = torch.randint(0, 3, g.x.shape).float()
    model.conv1.normalize = model.conv2.normalize = False
    padded, plain = padded_and_plain(data)
    assert torch.equal(model(padded)[1][padded.graphs_mask], model(plain)[1])


def test_padding_never_sends_messages_into_real_nodes(graphs):
    torch.manual_seed(1)
    model = GraphModel(SumAggregation())
    options = FixedSizeOptions(num_nodes=60, num_edges=100, num_graphs=6)
    batch = pad_data_list(graphs[:4], options)
    ref = model.node_embeddings(batch)[batch.nodes_mask]
    noisy = batch.clone()
    noisy.x = torch.where(batch.nodes_mask[:, None], batch.x, torch.randn_like(batch.x) * 1e3)
    out = model.node_embeddings(noisy)
    assert torch.equal(out[batch.nodes_mask], ref)
    assert not torch.equal(out[~batch.nodes_mask], model.node_embeddings(batch)[~batch.nodes_mask])


def test_softmax_and_attention_close_on_real_entries(graphs):
    torch.manual_seed(2)
    padded, plain = padded_and_plain(graphs[:5])
    gat = GATConv(3, 4, heads=2, add_self_loops=False)
    torch.testing.assert_close(gat(padded.x, padded.edge_index)[padded.nodes_mask],
                               gat(plain.x, plain.edge_index))
    scores = padded.x[:, 0]
    with static_shapes():
        s_pad = softmax(scores, padded.batch, num_nodes=padded.num_graphs)
    torch.testing.assert_close(s_pad[padded.nodes_mask], softmax(plain.x[:, 0], plain.batch))


def test_pooling_without_size_is_refused_in_static_mode(graphs):
    padded, _ = padded_and_plain(graphs[:3])
    with static_shapes(), pytest.raises(ValueError, match="dim_size"):
        MeanAggregation()(padded.x, padded.batch)
