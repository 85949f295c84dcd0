import torch

from geode_core.nn import SGConv


def test_sg_conv_dense(graph, dense, gcn_dense, apply_lin):
    x, ei = graph
    conv = SGConv(4, 3, K=3).double()
    a_hat = gcn_dense(dense(ei, 6, 6))
    assert torch.allclose(conv(x, ei), apply_lin(conv.lin, torch.linalg.matrix_power(a_hat, 3) @ x))
    w = torch.rand(ei.size(1), dtype=torch.float64)
    a_w = gcn_dense(dense(ei, 6, 6, w))
    assert torch.allclose(conv(x, ei, w), apply_lin(conv.lin, torch.linalg.matrix_power(a_w, 3) @ x))


def test_sg_conv_cached_keeps_first_propagation(graph):
    x, ei = graph
    conv = SGConv(4, 3, K=2, cached=True).double()
    out = conv(x, ei)
    assert torch.allclose(conv(x, ei[:, :3]), out)  # the cache ignores the new graph
    conv.reset_parameters()
    assert conv._cached_x is None
