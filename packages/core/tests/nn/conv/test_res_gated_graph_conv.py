import pytest
import torch

from geode_core.nn import ResGatedGraphConv


def test_res_gated_dense(graph, apply_lin):
    x, ei = graph
    conv = ResGatedGraphConv(4, 3).double()
    k, q, v = (apply_lin(m, x) for m in (conv.lin_key, conv.lin_query, conv.lin_value))
    out = torch.zeros(6, 3, dtype=x.dtype)
    for s, d in ei.t():
        out[d] += torch.sigmoid(k[d] + q[s]) * v[s]
    assert torch.allclose(conv(x, ei), out + x @ conv.lin_skip.weight.T + conv.bias)
    x_src, x_dst = torch.randn(5, 4, dtype=x.dtype), torch.randn(2, 3, dtype=x.dtype)
    bip = ResGatedGraphConv((4, 3), 2).double()
    assert bip((x_src, x_dst), torch.tensor([[0, 4], [1, 1]])).shape == (2, 2)


def test_res_gated_edge_features_enter_the_gate(graph, apply_lin):
    x, ei = graph
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    conv = ResGatedGraphConv(4, 3, edge_dim=2, root_weight=False, bias=False).double()
    k, q, v = (apply_lin(m, x) for m in (conv.lin_key, conv.lin_query, conv.lin_value))
    we = e @ conv.lin_edge.weight.T
    out = torch.zeros(6, 3, dtype=x.dtype)
    for n, (s, d) in enumerate(ei.t()):
        out[d] += torch.sigmoid(k[d] + q[s] + we[n]) * v[s]
    assert torch.allclose(conv(x, ei, e), out)
    with pytest.raises(ValueError, match="edge_attr"):
        conv(x, ei)
