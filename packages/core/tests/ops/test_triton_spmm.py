"""The Triton CSR SpMM kernel (CUDA) against a dense formula, through autograd, compile and CUDA graphs."""

import importlib.util

import pytest
import torch

from geode_core.ops import Adjacency, choose, spmm, use_kernel

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available() or importlib.util.find_spec("triton") is None,
                       reason="needs CUDA and Triton"),
]


def _graph(num_nodes=300, num_edges=5000, seed=0):
    gen = torch.Generator().manual_seed(seed)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=gen)
    edge_index[1] = torch.where(edge_index[1] == 7, 8, edge_index[1])  # node 7 receives nothing
    edge_index[:, :40] = torch.stack([torch.arange(40), torch.full((40,), 3)])  # a long row
    weight = torch.rand(num_edges, generator=gen)
    return edge_index.cuda(), weight.cuda()


def _dense(edge_index, weight, n):
    a = torch.zeros(n, n, dtype=torch.float64, device=edge_index.device)
    a.index_put_((edge_index[1], edge_index[0]), weight.double(), accumulate=True)
    return a


def test_triton_is_chosen_for_sum_and_mean_on_cuda():
    assert choose("spmm_sum", "cuda", torch.float32).name == "triton"
    assert choose("spmm_mean", "cuda", torch.float32, compiling=True).name == "triton"
    assert choose("spmm_sum", "cuda", torch.float64).name == "fused"  # float64 stays on cuSPARSE


@pytest.mark.parametrize("channels", [1, 64, 200])
@pytest.mark.parametrize("reduce", ["sum", "mean"])
@pytest.mark.parametrize("weighted", [False, True])
def test_triton_spmm_matches_the_dense_formula_and_its_gradients(channels, reduce, weighted):
    n = 300
    edge_index, weight = _graph(n)
    adj = Adjacency.from_edge_index(edge_index, size=n, edge_weight=weight if weighted else None)
    a = _dense(edge_index, weight if weighted else torch.ones_like(weight), n)
    if reduce == "mean":
        deg = torch.zeros(n, dtype=torch.float64, device="cuda").index_add_(
            0, edge_index[1], torch.ones(edge_index.size(1), dtype=torch.float64, device="cuda"))
        a = a / deg.clamp(min=1).unsqueeze(1)
    x = torch.randn(n, channels, device="cuda", requires_grad=True)
    with use_kernel(f"spmm_{reduce}", "triton"):
        out = spmm(adj, x, reduce)
    expected = a @ x.double()
    assert torch.allclose(out.double(), expected, atol=1e-4)
    assert out[7].abs().max() == 0
    grad = torch.randn_like(out)
    (gx,) = torch.autograd.grad(out, x, grad)
    assert torch.allclose(gx.double(), a.t() @ grad.double(), atol=1e-4)


def test_triton_spmm_edge_weight_gradient_matches_cusparse():
    edge_index, weight = _graph()
    x = torch.randn(300, 16, device="cuda")
    grads = {}
    for kernel in ("triton", "fused"):
        w = weight.clone().requires_grad_()
        adj = Adjacency.from_edge_index(edge_index, size=300)
        with use_kernel("spmm_sum", kernel):
            out = spmm(adj, x, "sum", value=w.index_select(0, adj.perm))
        (grads[kernel],) = torch.autograd.grad(out.square().sum(), w)
    assert torch.allclose(grads["triton"], grads["fused"], rtol=1e-4, atol=1e-4)


def test_triton_spmm_in_half_precision_accumulates_in_float32():
    edge_index, _ = _graph()
    adj = Adjacency.from_edge_index(edge_index, size=300)
    x = torch.randn(300, 64, device="cuda")
    expected = _dense(edge_index, torch.ones(edge_index.size(1), device="cuda"), 300) @ x.double()
    for dtype in (torch.float16, torch.bfloat16):
        out = spmm(adj, x.to(dtype))
        assert out.dtype == dtype
        assert torch.allclose(out.double(), expected, rtol=2e-2, atol=5e-2)


def test_triton_spmm_compiles_without_graph_breaks_and_replays_in_a_cuda_graph():
    edge_index, _ = _graph()
    adj = Adjacency.from_edge_index(edge_index, size=300)
    x = torch.randn(300, 32, device="cuda", requires_grad=True)
    eager = spmm(adj, x, "mean")
    explanation = torch._dynamo.explain(lambda t: spmm(adj, t, "mean"))(x)
    assert explanation.graph_break_count == 0
    compiled = torch.compile(lambda t: spmm(adj, t, "mean"), fullgraph=True)
    out = compiled(x)
    assert torch.allclose(out, eager, atol=1e-5)
    (g_c,) = torch.autograd.grad(out.sum(), x)
    (g_e,) = torch.autograd.grad(eager.sum(), x)
    assert torch.allclose(g_c, g_e, atol=1e-5)

    static_x = x.detach().clone()
    spmm(adj, static_x)  # warm the kernel and the adjacency's weight cache
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_out = spmm(adj, static_x)
    static_x.copy_(static_x * 2)
    graph.replay()
    assert torch.allclose(static_out, spmm(adj, static_x), atol=1e-5)


def test_triton_spmm_reads_strided_features_in_place():
    edge_index, weight = _graph()
    adj = Adjacency.from_edge_index(edge_index, size=300, edge_weight=weight)
    x = torch.randn(48, 300, device="cuda").t()  # rows 1 apart, channels 300 apart
    with use_kernel("spmm_sum", "triton"):
        out = spmm(adj, x)
    assert torch.allclose(out.double(), _dense(edge_index, weight, 300) @ x.double(), atol=1e-4)
