import pytest
import torch

from geode_core.nn import GatedGraphConv


def test_gated_graph_conv_dense(graph, dense):
    x, ei = graph
    conv = GatedGraphConv(6, num_layers=2).double()
    w = torch.rand(ei.size(1), dtype=torch.float64)
    a = dense(ei, 6, 6, w)
    h = torch.cat([x, torch.zeros(6, 2, dtype=x.dtype)], -1)
    for layer in range(2):
        m = a @ (h @ conv.weight[layer])
        h = conv.rnn(m, h)
    assert torch.allclose(conv(x, ei, w), h)
    with pytest.raises(ValueError, match="more than"):
        GatedGraphConv(2, num_layers=1)(x, ei)
