import pytest
import torch
import torch.nn.functional as F

from geode_core.nn import GENConv


def _reference(conv, x, ei, e, reduce):
    h_src = conv.lin_src(x) if conv.lin_src is not None else x
    h_dst = conv.lin_dst(x) if conv.lin_dst is not None else x
    ee = conv.lin_edge(e) if conv.lin_edge is not None else e
    agg = torch.zeros_like(h_dst)
    for i in range(x.size(0)):
        sel = ei[1] == i
        if sel.any():
            agg[i] = reduce(F.relu(h_src[ei[0, sel]] + ee[sel]) + 1e-7)
    return agg, h_dst


def test_gen_conv_mean_dense(graph):
    x, ei = graph
    conv = GENConv(4, 3, aggr="mean", edge_dim=2, norm=None, msg_norm=True).double().eval()
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    agg, h = _reference(conv, x, ei, e, lambda m: m.mean(0))
    agg = F.normalize(agg, dim=-1) * h.norm(dim=-1, keepdim=True)
    assert torch.allclose(conv(x, ei, e), conv.mlp(agg + h))


def test_gen_conv_softmax_dense(graph):
    pytest.importorskip("geode_aggr")
    x, ei = graph
    conv = GENConv(4, 4, t=0.7, edge_dim=4).double().eval()
    e = torch.randn(ei.size(1), 4, dtype=torch.float64)
    agg, h = _reference(conv, x, ei, e, lambda m: (torch.softmax(0.7 * m, 0) * m).sum(0))
    assert torch.allclose(conv(x, ei, e), conv.mlp(agg + h))


def test_gen_conv_without_geode_aggr_names_it(monkeypatch, fresh_registry):
    with pytest.raises(ImportError, match="geode-aggr"):
        GENConv(4, 4, aggr="softmax")
