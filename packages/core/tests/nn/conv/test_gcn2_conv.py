import math

import torch

from geode_core.nn import GCN2Conv


def test_gcn2_conv_dense(graph, dense, gcn_dense):
    x, ei = graph
    x0 = torch.randn_like(x)
    a_hat = gcn_dense(dense(ei, 6, 6))
    beta = math.log(0.5 / 3 + 1)
    shared = GCN2Conv(4, alpha=0.2, theta=0.5, layer=3).double()
    h = 0.8 * a_hat @ x + 0.2 * x0
    assert torch.allclose(shared(x, x0, ei), (1 - beta) * h + beta * h @ shared.weight1)
    sep = GCN2Conv(4, alpha=0.2, theta=0.5, layer=3, shared_weights=False).double()
    h1, h2 = 0.8 * a_hat @ x, 0.2 * x0
    expected = (1 - beta) * h1 + beta * h1 @ sep.weight1 + (1 - beta) * h2 + beta * h2 @ sep.weight2
    assert torch.allclose(sep(x, x0, ei), expected)
    no_theta = GCN2Conv(4, alpha=0.2).double()
    assert no_theta.beta == 1.0
