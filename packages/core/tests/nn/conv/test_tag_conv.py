import torch

from geode_core.nn import TAGConv


def test_tag_conv_dense(graph, dense, gcn_dense):
    x, ei = graph
    conv = TAGConv(4, 3, K=2).double()
    a_hat = gcn_dense(dense(ei, 6, 6), add_loops=False)
    expected = sum(torch.linalg.matrix_power(a_hat, k) @ x @ lin.weight.T
                   for k, lin in enumerate(conv.lins)) + conv.bias
    assert torch.allclose(conv(x, ei), expected)
    raw = TAGConv(4, 3, K=1, normalize=False, bias=False).double()
    expected = x @ raw.lins[0].weight.T + dense(ei, 6, 6) @ x @ raw.lins[1].weight.T
    assert torch.allclose(raw(x, ei), expected)
