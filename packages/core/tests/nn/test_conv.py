"""Conv layers vs dense-adjacency formulas, across input forms."""

import pytest
import torch
import torch.nn.functional as F

from geode_core.nn import GATConv, GCNConv, GINConv, GINEConv, GraphConv, SAGEConv
from geode_core.ops import Adjacency

N = 6


@pytest.fixture
def graph():
    torch.manual_seed(0)
    ei = torch.tensor([[0, 1, 2, 3, 4, 5, 0, 2, 3],
                       [1, 2, 3, 4, 5, 0, 3, 2, 1]])  # (2, 2) is an existing self-loop
    x = torch.randn(N, 4, dtype=torch.float64)
    return x, ei


def dense(ei, n_src, n_dst, w=None):
    """a[i, j] = total weight of edges j -> i."""
    a = torch.zeros(n_dst, n_src, dtype=torch.float64)
    for e in range(ei.size(1)):
        a[ei[1, e], ei[0, e]] += 1.0 if w is None else w[e]
    return a


def dense_gcn(ei, n, w=None, improved=False):
    a = dense(ei, n, n, w)
    fill = 2.0 if improved else 1.0
    diag = a.diagonal().clone()
    a = a - torch.diag(diag) + torch.diag(torch.where(diag > 0, diag, torch.full_like(diag, fill)))
    d = a.sum(1).pow(-0.5)
    return d[:, None] * a * d[None, :]


def lin(layer, x):
    return x @ layer.weight.T + (layer.bias if layer.bias is not None else 0)


@pytest.mark.parametrize("improved", [False, True])
def test_gcn_dense(graph, improved):
    x, ei = graph
    conv = GCNConv(4, 3, improved=improved).double()
    w = torch.rand(ei.size(1), dtype=torch.float64)
    for weight in (None, w):
        expected = dense_gcn(ei, N, weight, improved) @ (x @ conv.lin.weight.T) + conv.bias
        assert torch.allclose(conv(x, ei, weight), expected)
    conv_plain = GCNConv(4, 3, normalize=False).double()
    assert torch.allclose(conv_plain(x, ei), dense(ei, N, N) @ (x @ conv_plain.lin.weight.T) + conv_plain.bias)


def test_gcn_cached(graph):
    x, ei = graph
    conv = GCNConv(4, 3, cached=True).double()
    out = conv(x, ei)
    assert conv._cached_adj is not None
    assert torch.allclose(conv(x, ei), out)


@pytest.mark.parametrize("aggr", ["mean", "sum", "max"])
def test_sage_dense(graph, aggr):
    x, ei = graph
    conv = SAGEConv(4, 3, aggr=aggr).double()
    a = dense(ei, N, N)
    if aggr == "max":
        agg = torch.stack([x[a[i] > 0].amax(0) if (a[i] > 0).any() else torch.zeros(4, dtype=x.dtype)
                           for i in range(N)])
    else:
        agg = a @ x
        if aggr == "mean":
            agg = agg / a.sum(1, keepdim=True).clamp(min=1)
    expected = lin(conv.lin_l, agg) + x @ conv.lin_r.weight.T
    assert torch.allclose(conv(x, ei), expected)


def test_sage_root_term_never_written_into_a_tensor_a_hook_returns(graph):
    """The root term is added in place only on lin_l's own fresh output."""
    x, ei = graph
    conv = SAGEConv(4, 3).double()
    expected = conv(x, ei)
    held = torch.zeros(N, 3, dtype=torch.float64)
    conv.lin_l.register_forward_hook(lambda module, args, out: held)
    out = conv(x, ei)
    assert torch.equal(held, torch.zeros_like(held))
    assert torch.allclose(out, x @ conv.lin_r.weight.T)
    x = x.clone().requires_grad_()
    conv(x, ei).sum().backward()  # gradients still flow through the root term
    assert torch.allclose(x.grad, conv.lin_r.weight.sum(0).expand(N, 4))
    assert not torch.allclose(expected, out)


def test_sage_options(graph):
    x, ei = graph
    conv = SAGEConv(4, 3, normalize=True, root_weight=False, project=True).double()
    h = F.relu(lin(conv.lin, x))
    a = dense(ei, N, N)
    expected = F.normalize(lin(conv.lin_l, (a @ h) / a.sum(1, keepdim=True).clamp(min=1)), dim=-1)
    assert torch.allclose(conv(x, ei), expected)


def test_gin_and_graphconv_dense(graph):
    x, ei = graph
    a = dense(ei, N, N)
    gin = GINConv(torch.nn.Linear(4, 3), eps=0.5, train_eps=True).double()
    assert torch.allclose(gin(x, ei), lin(gin.nn, 1.5 * x + a @ x))
    w = torch.rand(ei.size(1), dtype=torch.float64)
    gc = GraphConv(4, 3).double()
    expected = lin(gc.lin_rel, dense(ei, N, N, w) @ x) + x @ gc.lin_root.weight.T
    assert torch.allclose(gc(x, ei, w), expected)
    gcm = GraphConv(4, 3, aggr="mean").double()
    expected = lin(gcm.lin_rel, (dense(ei, N, N, w) @ x) / a.sum(1, keepdim=True).clamp(min=1))
    assert torch.allclose(gcm(x, ei, w), expected + x @ gcm.lin_root.weight.T)


def test_gine_dense(graph):
    x, ei = graph
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    conv = GINEConv(torch.nn.Linear(4, 3), edge_dim=2).double()
    agg = torch.zeros_like(x)
    for k in range(ei.size(1)):
        agg[ei[1, k]] += F.relu(x[ei[0, k]] + lin(conv.lin, e[k]))
    assert torch.allclose(conv(x, ei, e), lin(conv.nn, x + agg))
    with pytest.raises(ValueError, match="edge_attr"):
        GINEConv(torch.nn.Linear(4, 3)).double()(x, ei, e)


@pytest.mark.parametrize("concat", [True, False])
def test_gat_dense(graph, concat):
    x, ei = graph
    heads, C = 2, 3
    conv = GATConv(4, C, heads=heads, concat=concat, edge_dim=2).double()
    e = torch.randn(ei.size(1), 2, dtype=torch.float64)
    h = (x @ conv.lin.weight.T).view(N, heads, C)
    # graph without its self-loops, plus one loop per node whose feature is the mean incoming one
    keep = ei[0] != ei[1]
    loop_attr = torch.zeros(N, 2, dtype=x.dtype)
    cnt = torch.zeros(N, dtype=x.dtype)
    for k in range(ei.size(1)):
        loop_attr[ei[1, k]] += e[k]
        cnt[ei[1, k]] += 1
    loop_attr = loop_attr / cnt.clamp(min=1)[:, None]
    src = torch.cat([ei[0][keep], torch.arange(N)])
    dst = torch.cat([ei[1][keep], torch.arange(N)])
    ea = torch.cat([e[keep], loop_attr])
    he = (ea @ conv.lin_edge.weight.T).view(-1, heads, C)
    score = F.leaky_relu((h[src] * conv.att_src).sum(-1) + (h[dst] * conv.att_dst).sum(-1)
                         + (he * conv.att_edge).sum(-1), 0.2)
    out = torch.zeros(N, heads, C, dtype=x.dtype)
    for i in range(N):
        sel = dst == i
        alpha = torch.softmax(score[sel], dim=0)
        out[i] = (alpha.unsqueeze(-1) * h[src[sel]]).sum(0)
    expected = (out.reshape(N, -1) if concat else out.mean(1)) + conv.bias
    got, (att_ei, alpha) = conv(x, ei, e, return_attention_weights=True)
    assert torch.allclose(got, expected)
    assert torch.allclose(conv(x, ei, e), expected)
    assert alpha.shape == (att_ei.size(1), heads)
    # existing self-loop (2, 2) gets weight 0; every destination's weights sum to 1
    assert torch.all(alpha[:ei.size(1)][~keep] == 0)
    sums = torch.zeros(N, heads, dtype=x.dtype).index_add_(0, att_ei[1], alpha)
    assert torch.allclose(sums, torch.ones_like(sums))


def _layers():
    return [
        GCNConv(4, 3), SAGEConv(4, 3), SAGEConv(4, 3, aggr="max"), GINConv(torch.nn.Linear(4, 3)),
        GraphConv(4, 3), GATConv(4, 3, heads=2),
    ]


@pytest.mark.parametrize("index", range(6))
def test_permutation_equivariance_and_adjacency_input(graph, index):
    x, ei = graph
    conv = _layers()[index].double()
    out = conv(x, ei)
    perm = torch.randperm(N)
    inv = torch.argsort(perm)
    out_p = conv(x[perm], inv[ei])
    assert torch.allclose(out_p, out[perm])
    adj = Adjacency.from_edge_index(ei, size=N)
    assert torch.allclose(conv(x, adj), out)


@pytest.mark.parametrize("index", range(6))
def test_gradients(graph, index):
    x, ei = graph
    conv = _layers()[index].double()
    x = x.clone().requires_grad_()
    conv(x, ei).square().sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    assert all(p.grad is not None for p in conv.parameters())


def test_gcn_gradcheck(graph):
    x, ei = graph
    conv = GCNConv(4, 2).double()
    w = torch.rand(ei.size(1), dtype=torch.float64, requires_grad=True)
    xg = x.clone().requires_grad_()
    assert torch.autograd.gradcheck(lambda x, w: conv(x, ei, w), (xg, w))


def test_gat_gradcheck(graph):
    x, ei = graph
    conv = GATConv(4, 2, heads=2).double()
    xg = x.clone().requires_grad_()
    assert torch.autograd.gradcheck(lambda x: conv(x, ei), (xg,))


def test_bipartite():
    torch.manual_seed(1)
    x_src, x_dst = torch.randn(5, 4, dtype=torch.float64), torch.randn(3, 6, dtype=torch.float64)
    ei = torch.tensor([[0, 1, 2, 3, 4, 4], [0, 0, 1, 1, 2, 0]])
    a = dense(ei, 5, 3)
    sage = SAGEConv((4, 6), 2).double()
    expected = lin(sage.lin_l, (a @ x_src) / a.sum(1, keepdim=True)) + x_dst @ sage.lin_r.weight.T
    assert torch.allclose(sage((x_src, x_dst), ei), expected)
    assert torch.allclose(sage((x_src, x_dst), Adjacency.from_edge_index(ei, size=(5, 3))), expected)
    gc = GraphConv((4, 6), 2).double()
    assert gc((x_src, x_dst), ei).shape == (3, 2)
    gin = GINConv(torch.nn.Linear(4, 2)).double()
    assert gin((x_src, None), ei, size=(5, 3)).shape == (3, 2)
    gat = GATConv((4, 6), 2, heads=2, add_self_loops=False).double()
    assert gat((x_src, x_dst), ei).shape == (3, 4)


def test_flow_target_to_source(graph):
    x, ei = graph
    conv = SAGEConv(4, 3, aggr="sum", flow="target_to_source").double()
    ref = SAGEConv(4, 3, aggr="sum").double()
    ref.load_state_dict(conv.state_dict())
    assert torch.allclose(conv(x, ei), ref(x, ei.flip(0)))
