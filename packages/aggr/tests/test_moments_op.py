"""The fused sum / sum-of-squares op behind sum, mean, var, std and their MultiAggregation."""

import pytest
import torch

from geode_aggr import _moments, _segment


def _brute(x, index, dim_size):
    total = torch.zeros(dim_size, *x.shape[1:], dtype=x.dtype)
    squares = torch.zeros_like(total)
    for e in range(x.size(0)):
        total[index[e]] += x[e]
        squares[index[e]] += x[e] * x[e]
    return total, squares


@pytest.mark.parametrize("shape", [(9, 3), (9, 2, 2)])
def test_segment_moments_matches_a_loop_and_differentiates_twice(shape, monkeypatch):
    monkeypatch.setattr(_segment, "BLOCK", 4)  # several blocks on a small input
    g = torch.Generator().manual_seed(0)
    index = torch.tensor([3, 0, 3, 1, 0, 3, 1, 0, 0])  # unsorted; group 2 stays empty
    x = torch.randn(*shape, dtype=torch.float64, generator=g).requires_grad_()
    total, squares = _moments.segment_moments(x, index, 5)
    expected = _brute(x.detach(), index, 5)
    assert torch.allclose(total, expected[0]) and torch.allclose(squares, expected[1])
    fn = lambda t: _moments.segment_moments(t, index, 5)  # noqa: E731
    assert torch.autograd.gradcheck(fn, (x,))
    assert torch.autograd.gradgradcheck(fn, (x,))
    torch.library.opcheck(_moments.segment_moments, (x, index, 5))
    grads = torch.randn(2, 5, *shape[1:], dtype=torch.float64, generator=g)
    torch.library.opcheck(_moments.segment_moments_backward, (x.detach(), index, grads[0], grads[1]))


def test_segment_moments_of_no_rows():
    total, squares = _moments.segment_moments(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), 2)
    assert total.shape == squares.shape == (2, 3) and not total.any() and not squares.any()
