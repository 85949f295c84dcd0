"""Quantile, Median and Sort against per-destination loops."""

import math

import pytest
import torch
from aggr_reference import ptr_from, segments

from geode_aggr import MedianAggregation, QuantileAggregation, SortAggregation


def ref_quantile(s, q, how):
    """Column by column on Python lists, numpy's definitions written out."""
    if len(s) == 0:
        return torch.zeros(s.shape[1:], dtype=s.dtype)
    out = []
    for c in range(s.shape[1]):
        v = sorted(float(a) for a in s[:, c])
        pos = q * (len(v) - 1)
        lo, hi = math.floor(pos), math.ceil(pos)
        if how == "lower":
            out.append(v[lo])
        elif how == "higher":
            out.append(v[hi])
        elif how == "nearest":
            out.append(v[round(pos)])
        elif how == "midpoint":
            out.append((v[lo] + v[hi]) / 2)
        else:
            out.append(v[lo] + (v[hi] - v[lo]) * (pos - lo))
    return torch.tensor(out, dtype=s.dtype)


@pytest.mark.parametrize("how", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("q", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_quantile_matches_loop(graph, q, how):
    x, index, n = graph
    expected = torch.stack([ref_quantile(s, q, how) for s in segments(x, index, n)])
    aggr = QuantileAggregation(q, interpolation=how)
    torch.testing.assert_close(aggr(x, index, dim_size=n), expected)
    order = torch.sort(index, stable=True).indices
    torch.testing.assert_close(aggr(x[order], ptr=ptr_from(index, n)), expected)
    perm = torch.randperm(len(index))
    torch.testing.assert_close(aggr(x[perm], index[perm], dim_size=n), expected)


def test_median_is_lower_middle_and_torch_median(graph):
    x, index, n = graph
    out = MedianAggregation()(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        want = s.median(dim=0).values if len(s) else torch.zeros(4, dtype=x.dtype)
        torch.testing.assert_close(out[d], want)


def test_multiple_q_concatenate(graph):
    x, index, n = graph
    out = QuantileAggregation([0.1, 0.5])(x, index, dim_size=n)
    assert out.shape == (n, 8)
    torch.testing.assert_close(out[:, 4:], QuantileAggregation(0.5)(x, index, dim_size=n))


def test_quantile_grad_finite_and_gradcheck(graph):
    x, index, n = graph
    x = x.clone().requires_grad_()
    QuantileAggregation(0.3)(x, index, dim_size=n).sum().backward()
    assert torch.isfinite(x.grad).all()
    assert torch.autograd.gradcheck(
        lambda t: QuantileAggregation(0.3)(t, index, dim_size=n), (x.detach().requires_grad_(),))


def test_quantile_errors():
    with pytest.raises(ValueError, match="q"):
        QuantileAggregation(1.5)
    with pytest.raises(ValueError, match="interpolation"):
        QuantileAggregation(0.5, interpolation="cubic")


def ref_sort(s, k):
    rows = sorted(range(len(s)), key=lambda i: -float(s[i, -1]))  # stable
    out = [s[i] for i in rows[:k]] + [torch.zeros(s.shape[1], dtype=s.dtype)] * max(0, k - len(s))
    return torch.cat(out)


@pytest.mark.parametrize("k", [1, 2, 5])
def test_sort_matches_loop(graph, k):
    x, index, n = graph
    expected = torch.stack([ref_sort(s, k) for s in segments(x, index, n)])
    aggr = SortAggregation(k)
    out = aggr(x, index, dim_size=n)
    torch.testing.assert_close(out, expected)
    assert out.shape == (n, k * 4)
    order = torch.sort(index, stable=True).indices
    torch.testing.assert_close(aggr(x[order], ptr=ptr_from(index, n)), expected)


def test_sort_grad(graph):
    x, index, n = graph
    x = x.clone().requires_grad_()
    SortAggregation(3)(x, index, dim_size=n).sum().backward()
    assert torch.isfinite(x.grad).all()


def test_sort_ties_keep_input_order_and_unsorted_index_is_allowed():
    index = torch.tensor([1, 0, 1, 0, 1, 0])
    x = torch.tensor([[1.0, 2.0], [2.0, 5.0], [3.0, 2.0], [4.0, 5.0], [5.0, 9.0], [6.0, -1.0]])
    out = SortAggregation(3)(x, index, dim_size=3)
    assert out.tolist() == [[2.0, 5.0, 4.0, 5.0, 6.0, -1.0],
                            [5.0, 9.0, 1.0, 2.0, 3.0, 2.0],
                            [0.0] * 6]
