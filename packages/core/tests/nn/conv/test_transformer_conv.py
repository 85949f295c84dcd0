import math

import pytest
import torch

from geode_core.nn import TransformerConv


@pytest.mark.parametrize("beta,concat", [(False, True), (True, False)])
def test_transformer_conv_dense(graph, apply_lin, beta, concat):
    x, ei = graph
    H, C = 2, 3
    conv = TransformerConv(4, C, heads=H, concat=concat, beta=beta, edge_dim=2).double()
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    q = apply_lin(conv.lin_query, x).view(6, H, C)
    k = apply_lin(conv.lin_key, x).view(6, H, C)
    v = apply_lin(conv.lin_value, x).view(6, H, C)
    we = (e @ conv.lin_edge.weight.T).view(-1, H, C)
    out = torch.zeros(6, H, C, dtype=x.dtype)
    for i in range(6):
        sel = ei[1] == i
        if not sel.any():
            continue
        kj = k[ei[0, sel]] + we[sel]
        a = torch.softmax((q[i] * kj).sum(-1) / math.sqrt(C), 0)
        out[i] = (a.unsqueeze(-1) * (v[ei[0, sel]] + we[sel])).sum(0)
    out = out.reshape(6, -1) if concat else out.mean(1)
    skip = apply_lin(conv.lin_skip, x)
    if beta:
        b = torch.sigmoid(torch.cat([skip, out, skip - out], -1) @ conv.lin_beta.weight.T)
        expected = b * skip + (1 - b) * out
    else:
        expected = out + skip
    assert torch.allclose(conv(x, ei, e), expected)


def test_transformer_conv_errors(graph):
    x, ei = graph
    with pytest.raises(ValueError, match="edge_attr"):
        TransformerConv(4, 2, edge_dim=2).double()(x, ei)
