"""Var, Std, Softmax, PowerMean, VariancePreserving against per-destination loops."""

import pytest
import torch
from aggr_reference import ptr_from, segments

from geode_aggr import (
    PowerMeanAggregation,
    SoftmaxAggregation,
    StdAggregation,
    VarAggregation,
    VariancePreservingAggregation,
)


def ref_var(s):
    if len(s) == 0:
        return torch.zeros(s.shape[1:], dtype=s.dtype)
    m = sum(s) / len(s)
    return sum((r - m) ** 2 for r in s) / len(s)


def ref_std(s):
    v = ref_var(s)
    return torch.where(v > 1e-5, v.sqrt(), torch.zeros_like(v))


def ref_softmax(s, t=1.0):
    if len(s) == 0:
        return torch.zeros(s.shape[1:], dtype=s.dtype)
    w = [torch.exp(t * r) for r in s]
    total = sum(w)
    return sum(wi / total * r for wi, r in zip(w, s))


def ref_power_mean(s, p):
    if len(s) == 0:
        return torch.zeros(s.shape[1:], dtype=s.dtype)
    c = s.clamp(1e-7, 100)
    return (sum(r ** p for r in c) / len(s)) ** (1 / p)


def ref_vp(s):
    if len(s) == 0:
        return torch.zeros(s.shape[1:], dtype=s.dtype)
    return sum(s) / len(s) ** 0.5


CASES = [
    (VarAggregation, {}, ref_var, False),
    (StdAggregation, {}, ref_std, False),
    (SoftmaxAggregation, {}, ref_softmax, False),
    (SoftmaxAggregation, {"t": 2.5}, lambda s: ref_softmax(s, 2.5), False),
    (PowerMeanAggregation, {"p": 2.0}, lambda s: ref_power_mean(s, 2.0), True),
    (PowerMeanAggregation, {"p": 0.5}, lambda s: ref_power_mean(s, 0.5), True),
    (VariancePreservingAggregation, {}, ref_vp, False),
]


@pytest.mark.parametrize("cls,kwargs,ref,positive", CASES)
def test_matches_loop(graph, cls, kwargs, ref, positive):
    x, index, n = graph
    if positive:
        x = x.abs() + 0.1
    expected = torch.stack([ref(s) for s in segments(x, index, n)])
    aggr = cls(**kwargs)
    out = aggr(x, index, dim_size=n)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(out[3], torch.zeros(4, dtype=x.dtype))  # empty destination
    # Same with ptr on sorted messages, and without dim_size.
    order = torch.sort(index, stable=True).indices
    torch.testing.assert_close(aggr(x[order], ptr=ptr_from(index, n)), expected)
    torch.testing.assert_close(aggr(x, index)[:n - 1], expected[:n - 1])


@pytest.mark.parametrize("cls,kwargs,ref,positive", CASES)
def test_permutation_invariant_and_finite_grad(graph, cls, kwargs, ref, positive):
    x, index, n = graph
    if positive:
        x = x.abs() + 0.1
    aggr = cls(**kwargs)
    perm = torch.randperm(len(index))
    torch.testing.assert_close(aggr(x[perm], index[perm], dim_size=n), aggr(x, index, dim_size=n))
    x = x.clone().requires_grad_()
    aggr(x, index, dim_size=n).sum().backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize("cls,kwargs", [(VarAggregation, {}), (StdAggregation, {}),
                                        (SoftmaxAggregation, {"t": 0.7}),
                                        (PowerMeanAggregation, {"p": 3.0}),
                                        (VariancePreservingAggregation, {})])
def test_gradcheck(graph, cls, kwargs):
    x, index, n = graph
    x = (x.abs() + 0.5).requires_grad_()
    assert torch.autograd.gradcheck(lambda t: cls(**kwargs)(t, index, dim_size=n), (x,))


def test_single_segment_and_constant_std():
    x = torch.full((4, 2), 3.0)
    index = torch.zeros(4, dtype=torch.long)
    x.requires_grad_()
    out = StdAggregation()(x, index, dim_size=1)
    assert torch.equal(out, torch.zeros(1, 2))
    out.sum().backward()
    assert torch.isfinite(x.grad).all()
    torch.testing.assert_close(VarAggregation()(x, index), torch.zeros(1, 2))


def test_all_empty_and_no_nan():
    x = torch.empty(0, 3)
    index = torch.empty(0, dtype=torch.long)
    for aggr in (VarAggregation(), StdAggregation(), SoftmaxAggregation(),
                 PowerMeanAggregation(p=0.3), VariancePreservingAggregation()):
        out = aggr(x, index, dim_size=2)
        assert torch.equal(out, torch.zeros(2, 3))


def test_other_dim(graph):
    x, index, n = graph
    xt = x.t().unsqueeze(0)  # [1, F, E], messages along dim -1
    out = VarAggregation()(xt, index, dim_size=n, dim=-1)
    torch.testing.assert_close(out.squeeze(0).t(), VarAggregation()(x, index, dim_size=n))


def test_softmax_semi_grad_matches_forward(graph):
    x, index, n = graph
    torch.testing.assert_close(SoftmaxAggregation(semi_grad=True)(x, index, dim_size=n),
                               SoftmaxAggregation()(x, index, dim_size=n))


def test_softmax_large_values_stable():
    x = torch.tensor([[1000.0], [999.0], [-1000.0]])
    out = SoftmaxAggregation()(x, torch.tensor([0, 0, 1]), dim_size=2)
    assert torch.isfinite(out).all()


@pytest.mark.parametrize("cls,param,channels", [(SoftmaxAggregation, "t", 1),
                                                (SoftmaxAggregation, "t", 4),
                                                (PowerMeanAggregation, "p", 1),
                                                (PowerMeanAggregation, "p", 4)])
def test_learnable_parameter_trains(graph, cls, param, channels):
    x, index, n = graph
    x = (x.abs() + 0.1).float()
    aggr = cls(learn=True, channels=channels)
    before = getattr(aggr, param).detach().clone()
    opt = torch.optim.SGD(aggr.parameters(), lr=0.1)
    loss = (aggr(x, index, dim_size=n) - 1.0).pow(2).sum()
    loss.backward()
    assert getattr(aggr, param).grad is not None
    assert torch.isfinite(getattr(aggr, param).grad).all()
    opt.step()
    assert not torch.equal(getattr(aggr, param).detach(), before)
    assert getattr(aggr, param).shape == (channels,)


def test_bad_arguments(graph):
    x, index, _ = graph
    with pytest.raises(ValueError, match="channels"):
        SoftmaxAggregation(channels=3)
    with pytest.raises(ValueError, match="index"):
        VarAggregation()(x, index[:-1])
    with pytest.raises(ValueError, match="index or ptr"):
        VarAggregation()(x)
    with pytest.raises(ValueError, match="channels"):
        SoftmaxAggregation(learn=True, channels=3)(x, index)


@pytest.mark.parametrize("t,channels", [(-0.6, 1), (0.8, 4)])
def test_softmax_gradcheck_in_messages_and_temperature(graph, t, channels):
    x, index, n = graph
    aggr = SoftmaxAggregation(t=t, learn=True, channels=channels).double()

    def fn(messages, temperature):
        return torch.func.functional_call(aggr, {"t": temperature}, (messages, index),
                                          {"dim_size": n})

    inputs = (x.clone().requires_grad_(), aggr.t.detach().clone().requires_grad_())
    assert torch.autograd.gradcheck(fn, inputs)


def test_softmax_semi_grad_holds_the_weights_constant(graph):
    x, index, n = graph
    x = x.clone().requires_grad_()
    SoftmaxAggregation(t=0.5, semi_grad=True)(x, index, dim_size=n).sum().backward()
    expected = torch.empty_like(x)
    for d in range(n):
        rows = (index == d).nonzero().flatten()
        expected[rows] = torch.softmax(0.5 * x.detach()[rows], dim=0)
    torch.testing.assert_close(x.grad, expected)


def test_softmax_messages_with_several_feature_axes(graph):
    x, index, n = graph
    x3 = x.view(12, 2, 2)
    aggr = SoftmaxAggregation(t=0.3)
    torch.testing.assert_close(aggr(x3, index, dim_size=n, dim=0).reshape(n, 4),
                               aggr(x, index, dim_size=n))


def test_fused_softmax_op_passes_opcheck(graph):
    from geode_aggr._softmax_op import softmax_aggregate

    x, index, n = graph
    t = torch.tensor([0.5, -1.0, 2.0, 0.0], dtype=torch.float64, requires_grad=True)
    torch.library.opcheck(softmax_aggregate, (x.clone().requires_grad_(), t, index, n, False))


@pytest.mark.parametrize("learn", [False, True])
def test_softmax_has_second_derivatives(learn):
    # the fused backward is not differentiable; with create_graph the aggregation reruns in
    # plain torch ops, so gradient penalties and Hessian products work
    index = torch.tensor([0, 0, 1, 1, 1, 3])
    agg = SoftmaxAggregation(t=0.7, learn=learn).double()
    x = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda v: agg(v, index, dim_size=4), (x,))
    (g,) = torch.autograd.grad(agg(x, index, dim_size=4).square().sum(), x, create_graph=True)
    (g_plain,) = torch.autograd.grad(agg(x, index, dim_size=4).square().sum(), x)
    torch.testing.assert_close(g, g_plain)  # both backward paths give the same first derivative
    if learn:
        (gt,) = torch.autograd.grad(g.square().sum(), agg.t)
        assert gt.abs().sum() > 0


def test_softmax_semi_grad_backward_paths_agree():
    index = torch.tensor([0, 0, 1, 1, 1, 3])
    agg = SoftmaxAggregation(t=0.7, semi_grad=True).double()
    x = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    (fused,) = torch.autograd.grad(agg(x, index, dim_size=4).square().sum(), x)
    (plain,) = torch.autograd.grad(agg(x, index, dim_size=4).square().sum(), x, create_graph=True)
    torch.testing.assert_close(plain, fused)
