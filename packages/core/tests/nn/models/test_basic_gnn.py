import pytest
import torch

from geode_core.nn import GAT, GCN, GIN, PNA, EdgeCNN, GCNConv, GraphSAGE
from geode_core.utils import trim_to_layer

EI = torch.tensor([[0, 1, 2, 3, 4, 5, 1, 2], [1, 2, 3, 4, 5, 0, 0, 1]])


@pytest.mark.parametrize("model", [
    lambda: GCN(4, 8, 2, 3), lambda: GraphSAGE(4, 8, 3, 3, jk="cat"),
    lambda: GIN(4, 8, 2, 3, norm="batch_norm"), lambda: GAT(4, 8, 2, 3, heads=2),
    lambda: GAT(4, 8, 2, 3, heads=2, v2=True, jk="max"), lambda: EdgeCNN(4, 8, 2, 3),
    lambda: GraphSAGE(4, 8, 2, jk="lstm"),
])
def test_models_shapes_and_training_step(model):
    torch.manual_seed(0)
    net = model()
    x = torch.randn(6, 4)
    out = net(x, EI)
    assert out.shape == (6, net.out_channels)
    out.square().sum().backward()
    assert all(p.grad is not None for p in net.parameters() if p.requires_grad)


def test_gcn_model_equals_its_convs():
    torch.manual_seed(0)
    net = GCN(4, 8, 2, 3, act="relu", dropout=0.0, norm=None).double()
    x = torch.randn(6, 4, dtype=torch.float64)
    w = torch.rand(EI.size(1), dtype=torch.float64)
    expected = net.convs[1](torch.relu(net.convs[0](x, EI, w)), EI, w)
    assert torch.allclose(net(x, EI, edge_weight=w), expected)
    assert isinstance(net.convs[0], GCNConv)


def test_pna_model():
    pytest.importorskip("geode_aggr")
    net = PNA(4, 8, 2, 3, aggregators=["mean", "max"], scalers=["identity"], deg=torch.tensor([1, 3, 2]))
    assert net(torch.randn(6, 4), EI).shape == (6, 3)


def test_trimming_keeps_seed_outputs():
    """A 2-layer model on a hop-ordered subgraph: seeds' outputs are unchanged by trimming."""
    torch.manual_seed(0)
    # seeds 0,1 | hop-1 nodes 2,3 | hop-2 nodes 4,5; edges ordered by hop
    ei = torch.tensor([[2, 3, 3, 4, 5, 5], [0, 1, 0, 2, 3, 2]])
    nodes, edges = [2, 2, 2], [3, 3]
    net = GraphSAGE(4, 8, 2, 3).double()
    x = torch.randn(6, 4, dtype=torch.float64)
    full = net(x, ei)
    trimmed = net(x, ei, num_sampled_nodes_per_hop=nodes, num_sampled_edges_per_hop=edges)
    assert trimmed.shape == (4, 3)
    assert torch.allclose(trimmed[:2], full[:2])
    with pytest.raises(ValueError, match="num_sampled_edges_per_hop"):
        net(x, ei, num_sampled_nodes_per_hop=nodes)


def test_trim_to_layer_function():
    x, ei, ea = torch.arange(6.0).view(6, 1), torch.tensor([[2, 3, 4, 5], [0, 1, 2, 3]]), torch.arange(4.0)
    assert trim_to_layer(0, [2, 2, 2], [2, 2], x, ei, ea)[0] is x
    tx, tei, tea = trim_to_layer(1, [2, 2, 2], [2, 2], x, ei, ea)
    assert tx.shape == (4, 1) and tei.tolist() == [[2, 3], [0, 1]] and tea.tolist() == [0.0, 1.0]
    hx, hei, _ = trim_to_layer(1, {"a": [1, 1]}, {("a", "to", "a"): [1, 1]}, {"a": x[:2]},
                               {("a", "to", "a"): ei[:, :2]})
    assert hx["a"].shape == (1, 1) and hei[("a", "to", "a")].shape == (2, 1)


def test_models_and_graph_norms_compile_without_graph_breaks():
    import torch._dynamo

    from geode_core.nn import GraphNorm, global_mean_pool

    x = torch.randn(6, 4)
    batch = torch.tensor([0, 0, 0, 1, 1, 1])
    model = GraphSAGE(4, 8, 2, 3, norm="graph_norm", jk="cat")
    norm = GraphNorm(3)

    def readout(x):
        h = model(x, EI, batch=batch, batch_size=2)
        return global_mean_pool(norm(h, batch, batch_size=2), batch, size=2)

    torch._dynamo.reset()
    explanation = torch._dynamo.explain(readout)(x)
    assert explanation.graph_break_count == 0, explanation.break_reasons
