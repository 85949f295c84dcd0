"""geode ops: Adjacency, custom ops (gradcheck + opcheck), kernel choice."""

import pytest
import torch

from geode_core.ops import (
    Adjacency,
    NoKernelError,
    choose,
    csr_spmm,
    gather_scatter,
    hugepages,
    reference,
    scatter_ops,
    scatter_reduce,
    segment,
    segment_ops,
    segment_softmax,
    spmm,
    use_kernel,
)
from geode_core.ops.register import OPS


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


def _brute(x, gather, scatter, value, dim_size, reduce):
    """Per-destination loop over the edges: the independent reference."""
    out = torch.zeros(dim_size, *x.shape[1:], dtype=x.dtype)
    for i in range(dim_size):
        rows = [x[gather[e]] * (1.0 if value is None else value[e])
                for e in range(gather.numel()) if scatter[e] == i]
        if rows:
            stack = torch.stack(rows)
            out[i] = {"sum": stack.sum(0), "mean": stack.mean(0), "max": stack.amax(0),
                      "min": stack.amin(0), "mul": stack.prod(0)}[reduce]
    return out


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min"])
@pytest.mark.parametrize("weighted", [False, True])
def test_spmm_matches_brute_force(reduce, weighted):
    ei = _graph()
    w = torch.rand(12, dtype=torch.float64) if weighted else None
    adj = Adjacency.from_edge_index(ei, w, size=(5, 4))
    x = torch.randn(5, 3, dtype=torch.float64)
    assert torch.allclose(spmm(adj, x, reduce), _brute(x, ei[0], ei[1], w, 4, reduce))
    if reduce in ("sum", "mean"):  # the dense formula too
        expected = _dense(ei, w, 5, 4) @ x
        if reduce == "mean":
            expected = expected / _dense(ei, None, 5, 4).sum(1, keepdim=True).clamp(min=1)
        assert torch.allclose(spmm(adj, x, reduce), expected)


def test_csr_matmul_follows_in_place_changes_of_its_indices():
    """The CPU kernel's int32 index copies are rebuilt when an index tensor changes."""
    ei = _graph()
    adj = Adjacency.from_edge_index(ei, size=(5, 4))
    rowptr, col = adj.rowptr.clone(), adj.col.clone()
    x = torch.randn(5, 3, dtype=torch.float64)
    first = csr_spmm.csr_matmul(rowptr, col, None, x)
    assert torch.allclose(first, _dense(ei, None, 5, 4) @ x)
    col.copy_((col + 1) % 5)  # every edge now comes from the next source
    moved = torch.stack([(adj.edge_index[0] + 1) % 5, adj.edge_index[1]])
    assert torch.allclose(csr_spmm.csr_matmul(rowptr, col, None, x), _dense(moved, None, 5, 4) @ x)


def test_spmm_rejects_bad_input():
    adj = Adjacency.from_edge_index(_graph(), size=(5, 4))
    with pytest.raises(ValueError, match="reduce must be one of"):
        spmm(adj, torch.randn(5, 2), "median")
    with pytest.raises(ValueError, match="x has 3 rows"):
        spmm(adj, torch.randn(3, 2))


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
    assert torch.autograd.gradcheck(lambda x: segment_ops.segment_reduce(x, ptr, reduce), (x,))
    torch.library.opcheck(segment_ops.segment_reduce, (x, ptr, reduce))


def test_segment_softmax():
    ptr = torch.tensor([0, 3, 3, 5])
    x = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
    out = segment_softmax(x, ptr)
    assert torch.allclose(out[:3], torch.softmax(x[:3], 0)) and torch.allclose(out[3:], torch.softmax(x[3:], 0))
    assert torch.autograd.gradcheck(lambda x: segment_ops.segment_softmax(x, ptr), (x,))
    torch.library.opcheck(segment_ops.segment_softmax, (x, ptr))


def test_kernel_choice_and_forcing(fresh_registry):
    from geode_core.plugins import register_plugin

    assert choose("spmm_sum", "cpu", torch.float32).name == "fused"

    calls = []

    class Plugin:
        @staticmethod
        def geode_register_kernels(registry):
            def fast(*args):
                calls.append(1)
                return csr_spmm.spmm_sum(*args)
            registry.add("fast", fast, op="spmm_sum", device="cpu", dtypes=(torch.float32,),
                         compile_safe=False, priority=50)
            registry.add("gpu-only", fast, op="spmm_sum", device="cuda", priority=100)

    register_plugin(Plugin(), "test-kernels")
    assert choose("spmm_sum", "cpu", torch.float32).name == "fast"
    assert choose("spmm_sum", "cpu", torch.float64).name == "fused"
    assert choose("spmm_sum", "cpu", torch.float32, compiling=True).name == "fused"
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


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "mul"])
def test_scatter_reduce(reduce):
    g = torch.Generator().manual_seed(1)
    index = torch.tensor([3, 0, 3, 1, 0, 3, 1])  # group 2 stays empty
    src = torch.randn(7, 2, dtype=torch.float64, generator=g).requires_grad_()
    expected = _brute(src.detach(), torch.arange(7), index, None, 5, reduce)
    assert torch.allclose(scatter_reduce(src, index, 5, reduce), expected)
    assert torch.autograd.gradcheck(lambda s: scatter_ops.scatter_reduce(s, index, 5, reduce), (src,))
    torch.library.opcheck(scatter_ops.scatter_reduce, (src, index, 5, reduce))


def test_scatter_mul_gradient_with_zeros():
    index = torch.tensor([0, 0, 0, 1, 1, 1])
    src = torch.tensor([0.0, 2.0, 3.0, 0.0, 0.0, 5.0], dtype=torch.float64, requires_grad=True)
    scatter_reduce(src.unsqueeze(-1), index, 2, "mul").sum().backward()
    # d(prod)/d(src_e) is the product of the group's other entries
    assert src.grad.tolist() == [6.0, 0.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min"])
def test_scatter_reduce_second_derivative(reduce):
    g = torch.Generator().manual_seed(3)
    index = torch.tensor([3, 0, 3, 1, 0, 3, 1])
    src = torch.randn(7, 2, dtype=torch.float64, generator=g).requires_grad_()
    assert torch.autograd.gradgradcheck(lambda s: scatter_ops.scatter_reduce(s, index, 5, reduce), (src,))


@pytest.mark.parametrize("reduce", ["max", "min"])
def test_scatter_extreme_gradient_splits_ties(reduce):
    index = torch.tensor([0, 0, 0, 1, 1])
    src = torch.tensor([[2.0], [2.0], [1.0], [4.0], [3.0]], requires_grad=True)
    if reduce == "min":
        src = (-src).detach().requires_grad_()
    scatter_reduce(src, index, 3, reduce).mul(torch.tensor([[6.0], [5.0], [7.0]])).sum().backward()
    assert src.grad.flatten().tolist() == [3.0, 3.0, 0.0, 5.0, 0.0]


def test_per_message_gradient_ops():
    g = torch.Generator().manual_seed(4)
    index = torch.tensor([2, 0, 2, 1, 0])
    src = torch.randn(3, 4, dtype=torch.float64, generator=g).requires_grad_()
    assert torch.equal(scatter_ops.gather_rows(src, index), src[index])
    assert torch.autograd.gradcheck(lambda s: scatter_ops.gather_rows(s, index), (src,))
    torch.library.opcheck(scatter_ops.gather_rows, (src, index))
    msgs = torch.randn(5, 4, dtype=torch.float64, generator=g)
    out = scatter_reduce(msgs, index, 3, "max")
    grad = torch.randn(3, 4, dtype=torch.float64, generator=g)
    expected = (msgs == out[index]) * grad[index]  # no ties among random values
    assert torch.equal(scatter_ops.extreme_backward(grad, msgs, index, out), expected)
    torch.library.opcheck(scatter_ops.extreme_backward, (grad, msgs, index, out))


@pytest.mark.parametrize("shape", [(3, 2), (300_000, 16)])
def test_hugepage_buffers_are_ordinary_tensors(shape):
    like = torch.zeros((), dtype=torch.float64)
    out = hugepages.empty(shape, like)
    assert out.shape == shape and out.dtype == torch.float64 and out.is_contiguous()
    out.fill_(1.5)
    assert float(out.sum()) == 1.5 * out.numel()


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min"])
@pytest.mark.parametrize("weighted", [False, True])
def test_gather_scatter(reduce, weighted):
    g = torch.Generator().manual_seed(2)
    gather = torch.tensor([0, 4, 2, 2, 1, 0, 3])
    scatter = torch.tensor([1, 1, 0, 3, 0, 3, 1])  # group 2 stays empty
    x = torch.randn(5, 3, dtype=torch.float64, generator=g).requires_grad_()
    value = torch.rand(7, dtype=torch.float64, generator=g).requires_grad_() if weighted else None
    expected = _brute(x.detach(), gather, scatter, None if value is None else value.detach(), 4, reduce)
    assert torch.allclose(gather_scatter(x, gather, scatter, 4, reduce, value), expected)
    inputs = (x,) if value is None else (x, value)

    def fn(x, v=None):
        return scatter_ops.gather_scatter(x, gather, scatter, v, 4, reduce)

    assert torch.autograd.gradcheck(fn, inputs)
    torch.library.opcheck(scatter_ops.gather_scatter, (x, gather, scatter, value, 4, reduce))


def test_scatter_ops_reject_bad_input():
    with pytest.raises(ValueError, match="reduce must be one of"):
        scatter_reduce(torch.randn(3, 2), torch.tensor([0, 1, 0]), 2, "median")
    with pytest.raises(ValueError, match="one entry per row"):
        scatter_reduce(torch.randn(3, 2), torch.tensor([0, 1]), 2)
    with pytest.raises(ValueError, match="value must have shape"):
        gather_scatter(torch.randn(3, 2), torch.tensor([0, 1]), torch.tensor([1, 0]), 2, value=torch.ones(3))


def _op_inputs(op):
    """Float64 inputs for every op's kernel calling convention (see geode_core.ops.register)."""
    g = torch.Generator().manual_seed(3)
    ei = _graph(seed=4)
    adj = Adjacency.from_edge_index(ei, size=(5, 4))
    x = torch.randn(5, 3, dtype=torch.float64, generator=g)
    value = torch.rand(12, dtype=torch.float64, generator=g)
    ptr = torch.tensor([0, 2, 2, 5])
    if op.startswith("spmm_"):
        return [(adj.rowptr, adj.col, adj.row, v, adj.rowptr_t, adj.col_t, adj.perm_t, None, x)
                for v in (None, value)]
    if op == "segment_reduce":
        return [(x, ptr, r) for r in ("sum", "mean", "max", "min")]
    if op == "segment_softmax":
        return [(x, ptr)]
    if op == "scatter_reduce":
        return [(x, torch.tensor([2, 0, 2, 3, 0]), 5, r) for r in ("sum", "mean", "min", "max", "mul")]
    return [(x, ei[0], ei[1], v, 4, r) for v in (None, value) for r in ("sum", "mean", "min", "max")]


@pytest.mark.parametrize("op", sorted(OPS))
def test_every_registered_kernel_matches_the_reference(op):
    from geode_core.plugins import get_registry

    kernels = get_registry().kernels(op)
    assert {"fused", "reference"} <= {k.name for k in kernels}
    ref = getattr(reference, op)
    for args in _op_inputs(op):
        expected = ref(*args)
        for kernel in kernels:
            if kernel.meta["device"] in ("any", "cpu"):
                assert torch.allclose(kernel.load()(*args), expected), (kernel.name, args[-1])


def test_ops_doc_example_runs():
    from pathlib import Path

    from geode_core.testing import python_blocks, run_python_blocks

    doc = Path(__file__).resolve().parents[4] / "docs" / "message-passing.md"
    run_python_blocks(doc, python_blocks(doc, after="## Ops and kernels"))


def test_kernel_size_ranges_express_crossovers(fresh_registry):
    from geode_core.plugins import register_plugin

    class Plugin:
        @staticmethod
        def geode_register_kernels(registry):
            registry.add("small", object(), op="sized", priority=20, compile_safe=True, sizes=(1, 8))
            registry.add("large", object(), op="sized", priority=10, compile_safe=True, sizes=(9, None))
            registry.add("any-size", object(), op="sized", priority=0, compile_safe=True)

    register_plugin(Plugin(), "test-sized-kernels")
    assert [choose("sized", "cpu", torch.float32, size=n).name for n in (1, 8, 9, 10**6)] == \
        ["small", "small", "large", "large"]
    assert choose("sized", "cpu", torch.float32).name == "any-size"  # no size: ranged kernels sit out
    with use_kernel("sized", "small"):  # a range says where a kernel wins, not where it runs
        assert choose("sized", "cpu", torch.float32, size=9).name == "small"


def test_edge_weight_gradient_on_a_graph_that_repeats_edges():
    # more entries than the 2 x 2 matrix has cells: torch's sampled product rejects that
    edge_index = torch.tensor([[0, 0, 0, 1, 0], [1, 1, 1, 0, 1]])  # (0 -> 1) four times
    adj = Adjacency.from_edge_index(edge_index, size=2)
    x = torch.randn(2, 4, dtype=torch.float64)
    w = torch.rand(5, dtype=torch.float64, requires_grad=True)
    out = spmm(adj, x, "sum", value=w.index_select(0, adj.perm))
    grad = torch.randn_like(out)
    (got,) = torch.autograd.grad(out, w, grad)
    expected = (grad[edge_index[1]] * x[edge_index[0]]).sum(-1)  # d out[dst] / d w_e = x[src]
    torch.testing.assert_close(got, expected)
