import pytest
import torch

from geode_core.nn import DynamicEdgeConv, EdgeConv


def _mlp():
    return torch.nn.Sequential(torch.nn.Linear(8, 3), torch.nn.Tanh()).double()


def test_edge_conv_dense(graph):
    x, ei = graph
    conv = EdgeConv(_mlp())
    expected = torch.zeros(6, 3, dtype=x.dtype)
    for i in range(6):
        msgs = [conv.nn(torch.cat([x[i], x[j] - x[i]])) for j in ei[0, ei[1] == i].tolist()]
        expected[i] = torch.stack(msgs).amax(0)
    assert torch.allclose(conv(x, ei), expected)


def test_dynamic_edge_conv_brute_force_knn():
    torch.manual_seed(0)
    x = torch.randn(7, 4, dtype=torch.float64)
    batch = torch.tensor([0, 0, 0, 0, 1, 1, 1])
    conv = DynamicEdgeConv(_mlp(), k=3, aggr="mean")
    expected = torch.zeros(7, 3, dtype=x.dtype)
    for i in range(7):
        same = (batch == batch[i]).nonzero().view(-1)
        dist = (x[same] - x[i]).norm(dim=-1)
        nbrs = same[dist.argsort()[:3]]
        expected[i] = torch.stack([conv.nn(torch.cat([x[i], x[j] - x[i]])) for j in nbrs]).mean(0)
    assert torch.allclose(conv(x, batch), expected)
    with pytest.raises(ValueError, match="k must be"):
        DynamicEdgeConv(_mlp(), k=0)
