"""Properties every layer of the zoo must have: permutation equivariance, the same result
for edge_index / Adjacency / torch sparse CSR and CSC input, gradients, and no graph break
under torch.compile(fullgraph=True)."""

import pytest
import torch

from geode_core import nn
from geode_core.nn import MessagePassing
from geode_core.nn.graph_input import sparse_to_edge_index
from geode_core.ops import Adjacency

N = 6
EI = torch.tensor([[0, 1, 2, 3, 4, 5, 0, 2, 3],
                   [1, 2, 3, 4, 5, 0, 3, 2, 1]])
EI = EI[:, torch.argsort(EI[1] * 100 + EI[0])]  # CSR order, so sparse input keeps edge order


def _mlp(i, o):
    return torch.nn.Sequential(torch.nn.Linear(i, o), torch.nn.ReLU(), torch.nn.Linear(o, o))


_ATTR = torch.randn(EI.size(1), 2, generator=torch.Generator().manual_seed(3))


def _edge_attr(graph):
    """Edge features of the edges of ``graph`` in that graph's own edge order."""
    if isinstance(graph, Adjacency) or graph.layout == torch.strided:
        return _ATTR  # the caller's edge order
    ei = sparse_to_edge_index(graph)[0]
    key = {(int(s), int(d)): k for k, (s, d) in enumerate(EI.t())}
    order = torch.tensor([key[(int(s), int(d))] for s, d in ei.t()])
    return _ATTR[order]


def _deg():
    return torch.tensor([1, 4, 1])


# name -> (factory, forward(layer, x, graph)); x has 4 channels
LAYERS = {
    "GCNConv": (lambda: nn.GCNConv(4, 3), None),
    "SAGEConv": (lambda: nn.SAGEConv(4, 3), None),
    "GINConv": (lambda: nn.GINConv(torch.nn.Linear(4, 3)), None),
    "GINEConv": (lambda: nn.GINEConv(torch.nn.Linear(4, 3), edge_dim=2),
                 lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "GraphConv": (lambda: nn.GraphConv(4, 3), None),
    "GATConv": (lambda: nn.GATConv(4, 3, heads=2, edge_dim=2),
                lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "GATv2Conv": (lambda: nn.GATv2Conv(4, 3, heads=2, edge_dim=2),
                  lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "TransformerConv": (lambda: nn.TransformerConv(4, 3, heads=2, beta=True, edge_dim=2),
                        lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "ChebConv": (lambda: nn.ChebConv(4, 3, K=3), None),
    "SGConv": (lambda: nn.SGConv(4, 3, K=2), None),
    "APPNP": (lambda: nn.APPNP(K=3, alpha=0.1), None),
    "TAGConv": (lambda: nn.TAGConv(4, 3, K=2), None),
    "GCN2Conv": (lambda: nn.GCN2Conv(4, alpha=0.2, theta=0.5, layer=2, shared_weights=False),
                 lambda m, x, g: m(x, x.cos(), g)),
    "LGConv": (lambda: nn.LGConv(), None),
    "SimpleConv": (lambda: nn.SimpleConv(combine_root="self_loop"), None),
    "ResGatedGraphConv": (lambda: nn.ResGatedGraphConv(4, 3), None),
    "EdgeConv": (lambda: nn.EdgeConv(_mlp(8, 3)), None),
    "NNConv": (lambda: nn.NNConv(4, 3, torch.nn.Linear(2, 12), aggr="mean"),
               lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "GENConv": (lambda: nn.GENConv(4, 3, aggr="mean", edge_dim=2, msg_norm=True, norm=None),
                lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "PNAConv": (lambda: nn.PNAConv(4, 4, ["mean", "max"], ["identity", "amplification"], _deg(),
                                   edge_dim=2, towers=2),
                lambda m, x, g: m(x, g, _edge_attr(g).to(x))),
    "GatedGraphConv": (lambda: nn.GatedGraphConv(5, num_layers=2), None),
    "ClusterGCNConv": (lambda: nn.ClusterGCNConv(4, 3, diag_lambda=0.5), None),
    "MixHopConv": (lambda: nn.MixHopConv(4, 3, powers=[0, 2]), None),
    "DirGNNConv": (lambda: nn.DirGNNConv(nn.GraphConv(4, 3)), None),
    "GPSConv": (lambda: nn.GPSConv(4, nn.GraphConv(4, 4), heads=2, norm="layer_norm"), None),
}
NEEDS_AGGR = {"PNAConv"}  # degree scalers come from geode-aggr
#: layers whose graph is rebuilt from the features (no graph argument)
DYNAMIC = {"DynamicEdgeConv": (lambda: nn.DynamicEdgeConv(_mlp(8, 3), k=3), None)}


def _make(name):
    if name in NEEDS_AGGR:
        pytest.importorskip("geode_aggr")
    factory, call = {**LAYERS, **DYNAMIC}[name]
    torch.manual_seed(0)
    layer = factory().double().eval()
    return layer, call or (lambda m, x, g: m(x, g))


def _x():
    return torch.randn(N, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))


def _sparse(layout):
    adj_t = torch.sparse_coo_tensor(EI.flip(0), torch.ones(EI.size(1), dtype=torch.float64), (N, N))
    return adj_t.to_sparse_csr() if layout == "csr" else adj_t.to_sparse_csc()


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_input_forms_agree(name):
    layer, call = _make(name)
    x = _x()
    out = call(layer, x, EI)
    assert torch.allclose(call(layer, x, Adjacency.from_edge_index(EI, size=N)), out)
    for layout in ("csr", "csc"):
        assert torch.allclose(call(layer, x, _sparse(layout)), out), layout


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_permutation_equivariance(name):
    layer, call = _make(name)
    x = _x()
    perm = torch.randperm(N, generator=torch.Generator().manual_seed(2))
    inv = torch.argsort(perm)
    out = call(layer, x, EI)
    assert torch.allclose(call(layer, x[perm], inv[EI]), out[perm], atol=1e-10)


def test_dynamic_edge_conv_equivariance():
    layer, _ = _make("DynamicEdgeConv")
    x = _x()
    perm = torch.randperm(N, generator=torch.Generator().manual_seed(2))
    assert torch.allclose(layer(x[perm]), layer(x)[perm])


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_explain_mask_reaches_every_message(name):
    """A mask of ones (one per input edge) changes nothing; a random mask changes the output."""
    layer, call = _make(name)
    x = _x()
    out = call(layer, x, EI)
    parts = [m for m in layer.modules() if isinstance(m, MessagePassing)]
    assert parts
    for m in parts:
        m._edge_mask = torch.ones(EI.size(1), dtype=torch.float64)
    assert torch.allclose(call(layer, x, EI), out)
    for m in parts:
        m._edge_mask = torch.rand(EI.size(1), dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    assert not torch.allclose(call(layer, x, EI), out)


@pytest.mark.parametrize("name", sorted({**LAYERS, **DYNAMIC}))
def test_gradients_reach_inputs_and_parameters(name):
    layer, call = _make(name)
    layer.train()
    x = _x().requires_grad_()
    out = call(layer, x, EI) if name not in DYNAMIC else layer(x)
    out.square().sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    missing = [n for n, p in layer.named_parameters() if p.requires_grad and p.grad is None]
    assert not missing, missing


#: layers whose math forbids a single graph: output sizes that depend on the data
COMPILE_EXEMPT: dict[str, str] = {}


@pytest.mark.parametrize("name", sorted({**LAYERS, **DYNAMIC}))
def test_no_graph_breaks(name):
    import torch._dynamo

    if name in COMPILE_EXEMPT:
        pytest.skip(COMPILE_EXEMPT[name])
    layer, call = _make(name)
    layer = layer.float()
    x = _x().float()
    torch._dynamo.reset()
    fn = (lambda x: layer(x)) if name in DYNAMIC else (lambda x: call(layer, x, EI))
    explanation = torch._dynamo.explain(fn)(x)
    assert explanation.graph_break_count == 0, explanation.break_reasons


@pytest.mark.gpu
@pytest.mark.parametrize("name", sorted({**LAYERS, **DYNAMIC}))
def test_cuda_matches_cpu(name):
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    try:
        layer, call = _make(name)
    except ImportError as exc:  # a plugin the layer needs is not registered here
        pytest.skip(str(exc))
    x = _x()
    fn = (lambda m, x, g: m(x)) if name in DYNAMIC else call
    expected = fn(layer, x, EI)
    got = fn(layer.cuda(), x.cuda(), EI.cuda())
    assert got.is_cuda and torch.allclose(got.cpu(), expected, atol=1e-8)
