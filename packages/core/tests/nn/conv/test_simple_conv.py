import pytest
import torch

from geode_core.nn import SimpleConv


def test_simple_conv_dense(graph, dense):
    x, ei = graph
    a = dense(ei, 6, 6)
    w = torch.rand(ei.size(1), dtype=torch.float64)
    assert torch.allclose(SimpleConv()(x, ei), a @ x)
    assert torch.allclose(SimpleConv(combine_root="sum")(x, ei, w), dense(ei, 6, 6, w) @ x + x)
    assert torch.allclose(SimpleConv(combine_root="cat")(x, ei), torch.cat([x, a @ x], -1))
    assert torch.allclose(SimpleConv(combine_root="self_loop")(x, ei), (a + torch.eye(6)) @ x)
    mean = SimpleConv(aggr="mean")(x, ei)
    assert torch.allclose(mean, (a @ x) / a.sum(1, keepdim=True).clamp(min=1))
    mx = SimpleConv(aggr="max")(x, ei)
    expected = torch.stack([x[a[i] > 0].amax(0) for i in range(6)])
    assert torch.allclose(mx, expected)


def test_simple_conv_bipartite_and_errors():
    x_src, x_dst = torch.randn(4, 2), torch.randn(2, 2)
    ei = torch.tensor([[0, 1, 3], [0, 1, 1]])
    out = SimpleConv(combine_root="sum")((x_src, x_dst), ei)
    assert torch.allclose(out, torch.stack([x_src[0], x_src[1] + x_src[3]]) + x_dst)
    with pytest.raises(ValueError, match="combine_root"):
        SimpleConv(combine_root="mul")
    with pytest.raises(ValueError, match="as many sources"):
        SimpleConv(combine_root="self_loop")((x_src, x_dst), ei)
