import pytest
import torch

from geode_core.nn import NNConv


def test_nn_conv_dense(graph):
    x, ei = graph
    edge_nn = torch.nn.Linear(2, 12).double()
    conv = NNConv(4, 3, edge_nn).double()
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    out = torch.zeros(6, 3, dtype=x.dtype)
    for k, (s, d) in enumerate(ei.t()):
        out[d] += x[s] @ edge_nn(e[k]).view(4, 3)
    assert torch.allclose(conv(x, ei, e), out + x @ conv.lin.weight.T + conv.bias)
    with pytest.raises(ValueError, match="edge_attr"):
        conv(x, ei)
