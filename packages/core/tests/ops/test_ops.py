"""geode ops: Adjacency, custom ops (gradcheck + opcheck), kernel choice."""

import pytest
import torch

from geode_core.ops import (
    Adjacency,
    NoKernelError,
    choose,
    segment,
    segment_softmax,
    spmm,
    use_kernel,
)
from geode_core.ops import custom as C


def _graph(num_src=5, num_dst=4, num_edges=12, seed=0):
    g = torch.Generator().manual_seed(seed)
    ei = torch.stack([torch.randint(0, num_src, (num_edges,), generator=g),
                      torch.randint(0, num_dst, (num_edges,), generator=g)])
    return ei


def _dense(ei, w, num_src, num_dst):
    a = torch.zeros(num_dst, num_src, dtype=torch.float64)
    for e in range(ei.size(1)):
        a[ei[1, e], ei[0, e]] += 1.0 if w is None else float(w[e])
    return a


def test_adjacency_structure():
    ei = _graph()
    adj = Adjacency.from_edge_index(ei, size=(5, 4))
    assert adj.rowptr.tolist()[-1] == 12 and adj.rowptr.numel() == 5
    assert torch.equal(adj.row, ei[1, adj.perm]) and torch.equal(adj.col, ei[0, adj.perm])
    assert torch.all(adj.row[1:] >= adj.row[:-1])
    # transpose: rows are sources
    assert torch.equal(adj.rowptr_t[-1], torch.tensor(12)) and adj.rowptr_t.numel() == 6
    assert torch.equal(adj.col_t, adj.row[adj.perm_t])
    assert torch.all(adj.col[adj.perm_t][1:] >= adj.col[adj.perm_t][:-1])


def test_adjacency_cache_and_version():
    ei = _graph()
    a1 = Adjacency.cached(ei, size=(5, 4))
    assert Adjacency.cached(ei, size=(5, 4)) is a1
    ei[0, 0] = (ei[0, 0] + 1) % 5  # in-place change bumps _version
    assert Adjacency.cached(ei, size=(5, 4)) is not a1


def test_adjacency_rejects_bad_input():
    with pytest.raises(ValueError, match=r"edge_index\[0\]"):
        Adjacency.from_edge_index(torch.tensor([[0, 9], [0, 1]]), size=(3, 3))
    with pytest.raises(ValueError, match=r"\[2, num_edges\]"):
        Adjacency.from_edge_index(torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="edge_weight"):
        Adjacency.from_edge_index(torch.tensor([[0], [1]]), torch.ones(3), size=2)


@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_spmm_matches_dense(reduce):
    ei = _graph()
    w = torch.rand(12, dtype=torch.float64)
    adj = Adjacency.from_edge_index(ei, w, size=(5, 4))
    x = torch.randn(5, 3, dtype=torch.float64)
    a = _dense(ei, w, 5, 4)
    expected = a @ x
    if reduce == "mean":
        deg = _dense(ei, None, 5, 4).sum(1, keepdim=True).clamp(min=1)
        expected = expected / deg
    assert torch.allclose(spmm(adj, x, reduce), expected)


@pytest.mark.parametrize("op", [C.spmm_sum, C.spmm_mean])
def test_spmm_gradcheck_and_opcheck(op):
    ei = _graph()
    adj = Adjacency.from_edge_index(ei, size=(5, 4))
    value = torch.rand(12, dtype=torch.float64, requires_grad=True)
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    args = (adj.rowptr, adj.col, adj.row, value, adj.rowptr_t, adj.col_t, adj.perm_t, x)
    assert torch.autograd.gradcheck(lambda v, x: op(*args[:3], v, *args[4:7], x), (value, x))
    torch.library.opcheck(op, args)
    torch.library.opcheck(op, (*args[:3], None, *args[4:]))


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min"])
def test_segment_reduce(reduce):
    ptr = torch.tensor([0, 2, 2, 5])
    x = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
    out = segment(x, ptr, reduce)
    ref = torch.zeros(3, 2, dtype=torch.float64)
    for i in range(3):
        part = x[ptr[i]:ptr[i + 1]]
        if part.numel():
            ref[i] = {"sum": part.sum(0), "mean": part.mean(0), "max": part.amax(0),
                      "min": part.amin(0)}[reduce]
    assert torch.allclose(out, ref)
    assert torch.autograd.gradcheck(lambda x: C.segment_reduce(x, ptr, reduce), (x,))
    torch.library.opcheck(C.segment_reduce, (x, ptr, reduce))


def test_segment_softmax():
    ptr = torch.tensor([0, 3, 3, 5])
    x = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
    out = segment_softmax(x, ptr)
    assert torch.allclose(out[:3], torch.softmax(x[:3], 0)) and torch.allclose(out[3:], torch.softmax(x[3:], 0))
    assert torch.autograd.gradcheck(lambda x: C.segment_softmax(x, ptr), (x,))
    torch.library.opcheck(C.segment_softmax, (x, ptr))


def test_kernel_choice_and_forcing(fresh_registry):
    from geode_core.plugins import register_plugin

    assert choose("spmm_sum", "cpu", torch.float32).name == "reference"

    calls = []

    class Plugin:
        @staticmethod
        def geode_register_kernels(registry):
            def fast(*args):
                calls.append(1)
                return C.spmm_sum(*args)
            registry.add("fast", fast, op="spmm_sum", device="cpu", dtypes=(torch.float32,),
                         compile_safe=False, priority=50)
            registry.add("gpu-only", fast, op="spmm_sum", device="cuda", priority=100)

    register_plugin(Plugin(), "test-kernels")
    assert choose("spmm_sum", "cpu", torch.float32).name == "fast"
    assert choose("spmm_sum", "cpu", torch.float64).name == "reference"
    assert choose("spmm_sum", "cpu", torch.float32, compiling=True).name == "reference"
    adj = Adjacency.from_edge_index(_graph(), size=(5, 4))
    spmm(adj, torch.randn(5, 2))
    assert calls == [1]
    with use_kernel("spmm_sum", "reference"):
        spmm(adj, torch.randn(5, 2))
    assert calls == [1]
    with use_kernel("spmm_sum", "gpu-only"), pytest.raises(NoKernelError, match="gpu-only"):
        spmm(adj, torch.randn(5, 2))
    with use_kernel("spmm_sum", "nope"), pytest.raises(NoKernelError, match="not registered"):
        spmm(adj, torch.randn(5, 2))
    with pytest.raises(NoKernelError, match="no kernel for op 'unknown'"):
        choose("unknown", "cpu", torch.float32)
