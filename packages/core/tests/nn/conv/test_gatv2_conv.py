import pytest
import torch
import torch.nn.functional as F

from geode_core.nn import GATConv, GATv2Conv


def _looped(ei, e, n):
    """The graph without its loops plus one loop per node with the mean incoming feature."""
    keep = ei[0] != ei[1]
    loop_attr = torch.zeros(n, e.size(1), dtype=e.dtype).index_add_(0, ei[1], e)
    loop_attr = loop_attr / torch.bincount(ei[1], minlength=n).clamp(min=1)[:, None]
    src = torch.cat([ei[0][keep], torch.arange(n)])
    dst = torch.cat([ei[1][keep], torch.arange(n)])
    return src, dst, torch.cat([e[keep], loop_attr])


@pytest.mark.parametrize("concat", [True, False])
def test_gatv2_dense(graph, concat, apply_lin):
    x, ei = graph
    H, C = 2, 3
    conv = GATv2Conv(4, C, heads=H, concat=concat, edge_dim=2).double()
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    src, dst, ea = _looped(ei, e, 6)
    xl, xr = apply_lin(conv.lin_l, x).view(6, H, C), apply_lin(conv.lin_r, x).view(6, H, C)
    z = xl[src] + xr[dst] + (ea @ conv.lin_edge.weight.T).view(-1, H, C)
    score = (F.leaky_relu(z, 0.2) * conv.att).sum(-1)
    out = torch.zeros(6, H, C, dtype=x.dtype)
    for i in range(6):
        sel = dst == i
        out[i] = (torch.softmax(score[sel], 0).unsqueeze(-1) * xl[src[sel]]).sum(0)
    expected = (out.reshape(6, -1) if concat else out.mean(1)) + conv.bias
    got, (att_ei, alpha) = conv(x, ei, e, return_attention_weights=True)
    assert torch.allclose(got, expected)
    assert att_ei.size(1) == ei.size(1) + 6 and alpha.shape == (ei.size(1) + 6, H)


def test_gatv2_share_weights_bipartite_and_residual():
    torch.manual_seed(0)
    x_src, x_dst = torch.randn(5, 4), torch.randn(3, 4)
    ei = torch.tensor([[0, 1, 2, 3, 4], [0, 0, 1, 2, 2]])
    conv = GATv2Conv(4, 2, heads=2, share_weights=True, add_self_loops=False, residual=True)
    assert conv.lin_l is conv.lin_r
    out = conv((x_src, x_dst), ei)
    no_res = GATv2Conv(4, 2, heads=2, share_weights=True, add_self_loops=False)
    no_res.load_state_dict({k: v for k, v in conv.state_dict().items() if not k.startswith("res")})
    assert torch.allclose(out, no_res((x_src, x_dst), ei) + x_dst @ conv.res.weight.T, atol=1e-6)


def test_gat_parity_options(graph):
    x, ei = graph
    conv = GATConv(4, 3, heads=2, residual=True, dropout=0.5).double()
    conv.eval()
    base = GATConv(4, 3, heads=2).double()
    base.load_state_dict({k: v for k, v in conv.state_dict().items() if not k.startswith("res")})
    assert torch.allclose(conv(x, ei), base(x, ei) + x @ conv.res.weight.T)
    conv.train()
    torch.manual_seed(1)
    _, (_, alpha) = conv(x, ei, return_attention_weights=True)
    assert (alpha == 0).any()  # attention dropout in training
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    filled = GATConv(4, 3, edge_dim=2, fill_value=0.5).double()
    assert filled(x, ei, e).shape == (6, 3)
    with pytest.raises(ValueError, match="fill_value"):
        GATConv(4, 3, edge_dim=2, fill_value="median").double()(x, ei, e)
