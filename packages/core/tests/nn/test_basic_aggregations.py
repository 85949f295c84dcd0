"""geode-core's basic aggregations (sum, mean, min, max, mul) against a per-destination loop."""

import pytest
import torch

from geode_core.nn.aggr import (
    MaxAggregation,
    MeanAggregation,
    MinAggregation,
    MulAggregation,
    SumAggregation,
)

CASES = {SumAggregation: lambda s: s.sum(0), MeanAggregation: lambda s: s.mean(0),
         MinAggregation: lambda s: s.min(0).values, MaxAggregation: lambda s: s.max(0).values,
         MulAggregation: lambda s: s.prod(0)}
INDEX = torch.tensor([0, 0, 1, 1, 1, 3, 4])  # sorted; destination 2 stays empty
PTR = torch.tensor([0, 2, 5, 5, 6, 7])


def _loop(x, reduce_rows, dim_size=5):
    return torch.stack([reduce_rows(x[d == INDEX]) if (d == INDEX).any() else torch.zeros(x.size(1),
                        dtype=x.dtype) for d in range(dim_size)])


@pytest.mark.parametrize("cls", list(CASES))
def test_matches_loop_on_index_and_ptr_paths(cls):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(7, 3, dtype=torch.float64, generator=g).requires_grad_()
    expected = _loop(x.detach(), CASES[cls])
    aggr = cls()
    torch.testing.assert_close(aggr(x, INDEX, dim_size=5), expected)
    torch.testing.assert_close(aggr(x, ptr=PTR), expected)
    perm = torch.randperm(7, generator=g)
    torch.testing.assert_close(aggr(x[perm], INDEX[perm], dim_size=5), expected)
    torch.testing.assert_close(aggr(x.t(), INDEX, dim_size=5, dim=-1), expected.t())
    assert torch.autograd.gradcheck(lambda t: aggr(t, INDEX, dim_size=5), (x,))
    assert torch.autograd.gradcheck(lambda t: aggr(t, ptr=PTR), (x,))


def test_product_gradient_with_zero_messages():
    x = torch.tensor([[0.0], [2.0], [0.0], [0.0], [5.0], [3.0], [4.0]], requires_grad=True)
    MulAggregation()(x, INDEX, dim_size=5).sum().backward()
    # d(prod)/d(x_e) is the product of the destination's other messages
    assert x.grad.flatten().tolist() == [2.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
