import torch

from geode_core.nn import ClusterGCNConv


def test_cluster_gcn_conv_dense(graph, dense, apply_lin):
    x, ei = graph
    conv = ClusterGCNConv(4, 3, diag_lambda=0.3).double()
    a = dense(ei, 6, 6)
    a = a - torch.diag(a.diagonal()) + torch.eye(6)  # existing loops are replaced
    a_hat = a / a.sum(1, keepdim=True)
    prop = (a_hat + 0.3 * torch.diag(a_hat.diagonal())) @ x
    assert torch.allclose(conv(x, ei), apply_lin(conv.lin_out, prop) + x @ conv.lin_root.weight.T)
