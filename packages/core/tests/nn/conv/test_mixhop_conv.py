import pytest
import torch

from geode_core.nn import MixHopConv


def test_mixhop_conv_dense(graph, dense, gcn_dense):
    x, ei = graph
    conv = MixHopConv(4, 3, powers=[2, 0, 1]).double()
    a_hat = gcn_dense(dense(ei, 6, 6))
    parts = [torch.linalg.matrix_power(a_hat, p) @ x @ conv.lins[str(p)].weight.T for p in (2, 0, 1)]
    assert torch.allclose(conv(x, ei), torch.cat(parts, -1) + conv.bias)
    assert conv(x, ei).shape == (6, 9)
    with pytest.raises(ValueError, match="powers"):
        MixHopConv(4, 3, powers=[-1])
