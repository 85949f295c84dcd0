import torch

from geode_core.nn import APPNP


def test_appnp_dense(graph, dense, gcn_dense):
    x, ei = graph
    a_hat = gcn_dense(dense(ei, 6, 6))
    h = x
    for _ in range(4):
        h = 0.9 * a_hat @ h + 0.1 * x
    assert torch.allclose(APPNP(K=4, alpha=0.1)(x, ei), h)
    plain = APPNP(K=1, alpha=0.0, normalize=False, add_self_loops=False)
    assert torch.allclose(plain(x, ei), dense(ei, 6, 6) @ x)


def test_appnp_edge_dropout_only_in_training(graph):
    x, ei = graph
    conv = APPNP(K=2, alpha=0.1, dropout=0.9)
    torch.manual_seed(0)
    train_out = conv(x, ei)
    conv.eval()
    assert not torch.allclose(train_out, conv(x, ei))
    assert torch.allclose(conv(x, ei), APPNP(K=2, alpha=0.1)(x, ei))
