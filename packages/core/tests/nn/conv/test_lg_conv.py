import torch

from geode_core.nn import LGConv


def test_lg_conv_dense(graph, dense, gcn_dense):
    x, ei = graph
    assert torch.allclose(LGConv()(x, ei), gcn_dense(dense(ei, 6, 6), add_loops=False) @ x)
    assert torch.allclose(LGConv(normalize=False)(x, ei), dense(ei, 6, 6) @ x)
    assert list(LGConv().parameters()) == []
