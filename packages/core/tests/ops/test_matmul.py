"""segment_matmul and grouped_matmul: loops of mm as reference, gradcheck, opcheck, kernels."""

import pytest
import torch

from geode_core.ops import choose, grouped_mm, segment_mm, use_kernel
from geode_core.ops import matmul as M

SEGMENT_OPS = [M.segment_matmul, M.segment_matmul_padded]


def _segments(counts, k=3, m=4, dtype=torch.float64, seed=0):
    g = torch.Generator().manual_seed(seed)
    ptr = torch.tensor([0, *torch.tensor(counts).cumsum(0).tolist()])
    x = torch.randn(int(ptr[-1]), k, generator=g, dtype=dtype)
    w = torch.randn(len(counts), k, m, generator=g, dtype=dtype)
    return x, ptr, w


def _reference(x, ptr, w):
    out = torch.zeros(x.size(0), w.size(-1), dtype=x.dtype)
    for t in range(w.size(0)):
        out[ptr[t]:ptr[t + 1]] = x[ptr[t]:ptr[t + 1]] @ w[t]
    return out


# uneven, empty, long segments (which the padded kernel runs alone) and only long ones
COUNTS = [[3, 0, 5, 1], [1, 1, 1, 40], [0, 0], [7], [130, 0, 3], [130, 140]]


@pytest.mark.parametrize("op", SEGMENT_OPS)
@pytest.mark.parametrize("counts", COUNTS)
def test_segment_matmul_matches_loop(op, counts):
    x, ptr, w = _segments(counts)
    assert torch.allclose(op(x, ptr, w), _reference(x, ptr, w))


@pytest.mark.parametrize("op", SEGMENT_OPS)
@pytest.mark.parametrize("counts", [[3, 0, 5, 1], [1, 1, 1, 12]])
def test_segment_matmul_gradcheck_and_opcheck(op, counts):
    x, ptr, w = _segments(counts)
    x.requires_grad_()
    w.requires_grad_()
    assert torch.autograd.gradcheck(lambda x, w: op(x, ptr, w), (x, w))
    torch.library.opcheck(op, (x, ptr, w))


@pytest.mark.parametrize("op", SEGMENT_OPS)
def test_segment_matmul_gradients_equal_the_loop(op):
    x, ptr, w = _segments([4, 2, 0, 9], dtype=torch.float32)
    x1, w1 = x.clone().requires_grad_(), w.clone().requires_grad_()
    x2, w2 = x.clone().requires_grad_(), w.clone().requires_grad_()
    grad = torch.randn(x.size(0), w.size(-1))
    op(x1, ptr, w1).backward(grad)
    _reference(x2, ptr, w2).backward(grad)
    assert torch.allclose(x1.grad, x2.grad, atol=1e-5) and torch.allclose(w1.grad, w2.grad, atol=1e-5)


def test_segment_matmul_rejects_bad_shapes():
    x, ptr, w = _segments([2, 2])
    with pytest.raises(ValueError, match="ptr must have T \\+ 1 = 3"):
        M.segment_matmul(x, ptr[:2], w)
    with pytest.raises(ValueError, match="inputs has 3 columns but other expects 5"):
        M.segment_matmul(x, ptr, torch.randn(2, 5, 4, dtype=x.dtype))
    with pytest.raises(ValueError, match=r"other \[T, K, M\]"):
        M.segment_matmul(x, ptr, w[0])


def test_grouped_matmul_matches_loop_with_gradients():
    g = torch.Generator().manual_seed(1)
    inputs = [torch.randn(n, k, generator=g, dtype=torch.float64, requires_grad=True)
              for n, k in [(3, 2), (0, 4), (5, 3)]]
    others = [torch.randn(k, m, generator=g, dtype=torch.float64, requires_grad=True)
              for k, m in [(2, 6), (4, 1), (3, 3)]]
    out = M.grouped_matmul(inputs, others)
    for o, a, b in zip(out, inputs, others):
        assert torch.allclose(o, a @ b)
    assert torch.autograd.gradcheck(
        lambda *t: tuple(M.grouped_matmul(list(t[:3]), list(t[3:]))), (*inputs, *others))
    torch.library.opcheck(M.grouped_matmul, (inputs, others))
    with pytest.raises(ValueError, match="3 inputs but 2 others"):
        M.grouped_matmul(inputs, others[:2])


def test_kernels_are_registered_and_forcible():
    assert {k.name for k in _kernels("segment_matmul")} == {"reference", "padded"}
    assert choose("grouped_matmul", "cpu", torch.float32).name == "reference"
    x, ptr, w = _segments([2, 3], dtype=torch.float32)
    for name in ("reference", "padded"):
        with use_kernel("segment_matmul", name):
            assert torch.allclose(segment_mm(x, ptr, w), _reference(x, ptr, w), atol=1e-6)
    assert grouped_mm([], []) == []


def _kernels(op):
    from geode_core.plugins import get_registry

    return get_registry().kernels(op)


def test_segment_matmul_compiles_without_graph_breaks():
    x, ptr, w = _segments([3, 1, 4], dtype=torch.float32)
    torch._dynamo.reset()
    fn = torch.compile(lambda x, w: segment_mm(x, ptr, w).sum(), fullgraph=True, backend="eager")
    w.requires_grad_()
    fn(x, w).backward()
    assert torch.allclose(w.grad[0], x[:3].t() @ torch.ones(3, 4), atol=1e-5)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available() or not hasattr(torch, "_grouped_mm")
                    or torch.cuda.get_device_capability() < (9, 0), reason="needs a Hopper GPU")
def test_cuda_grouped_kernel_matches_the_loop_in_bf16():
    x, ptr, w = _segments([5, 0, 17, 3], k=20, m=13, dtype=torch.float32)
    x, ptr, w = x.cuda(), ptr.cuda(), w.cuda()
    assert choose("segment_matmul", "cuda", torch.bfloat16).name == "cuda_grouped"
    xb = x.bfloat16().requires_grad_()
    wb = w.bfloat16().requires_grad_()
    out = segment_mm(xb, ptr, wb)
    assert torch.allclose(out.float(), _reference(x.cpu().double(), ptr.cpu(), w.cpu().double()).float().cuda(),
                          atol=0.1, rtol=0.02)
    out.sum().backward()
    assert xb.grad.shape == xb.shape and wb.grad.shape == wb.shape
