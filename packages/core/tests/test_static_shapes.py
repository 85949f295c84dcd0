"""The static-shape switch: sizes inferred from data raise while it is on, and only then."""

import pytest
import torch

from geode_core.nn.aggr import MeanAggregation, SumAggregation
from geode_core.utils import scatter, to_dense_adj, to_dense_batch
from geode_core.utils.static import StaticShapeError, set_static_shapes, static_shapes_enabled


@pytest.fixture
def static_mode():
    previous = set_static_shapes(True)
    yield
    set_static_shapes(previous)


def test_switch_reports_and_restores():
    assert not static_shapes_enabled()
    assert set_static_shapes(True) is False
    assert static_shapes_enabled()
    assert set_static_shapes(False) is True
    assert not static_shapes_enabled()


@pytest.mark.parametrize("call, names", [
    (lambda x, i: SumAggregation()(x, i), ("SumAggregation", "dim_size")),
    (lambda x, i: MeanAggregation()(x, index=i), ("MeanAggregation", "dim_size")),
    (lambda x, i: scatter(x, i), ("scatter", "dim_size")),
    (lambda x, i: to_dense_batch(x, i, max_num_nodes=3), ("to_dense_batch", "batch_size")),
    (lambda x, i: to_dense_batch(x, i, batch_size=2), ("to_dense_batch", "max_num_nodes")),
    (lambda x, i: to_dense_adj(torch.tensor([[0], [1]]), i, max_num_nodes=3),
     ("to_dense_adj", "batch_size")),
])
def test_missing_size_names_function_and_argument(static_mode, call, names):
    x, index = torch.ones(4, 2), torch.tensor([0, 0, 1, 1])
    with pytest.raises(StaticShapeError) as err:
        call(x, index)
    assert all(name in str(err.value) for name in names)


def test_explicit_sizes_pass_and_match_eager(static_mode):
    x, index = torch.arange(8.).view(4, 2), torch.tensor([0, 0, 1, 1])
    out = SumAggregation()(x, index, dim_size=3)
    assert torch.equal(out, torch.tensor([[2., 4.], [10., 12.], [0., 0.]]))
    assert torch.equal(SumAggregation()(x, index=index, dim_size=3), out)
    ptr_out = MeanAggregation()(x, ptr=torch.tensor([0, 2, 4]))  # ptr fixes the size
    assert torch.equal(ptr_out, torch.tensor([[1., 2.], [5., 6.]]))
    dense, mask = to_dense_batch(x, index, batch_size=2, max_num_nodes=3)
    assert dense.shape == (2, 3, 2) and int(mask.sum()) == 4


def test_off_by_default_infers_sizes():
    x, index = torch.ones(4, 2), torch.tensor([0, 0, 1, 1])
    assert SumAggregation()(x, index).shape == (2, 2)
    assert scatter(x, index).shape == (2, 2)


def test_fixed_dim_size_fills_missing_argument_only(static_mode):
    x, index = torch.ones(4, 2), torch.tensor([0, 0, 1, 1])
    aggr = SumAggregation()
    aggr.fixed_dim_size = 5
    assert aggr(x, index).shape == (5, 2)
    assert aggr(x, index=index).shape == (5, 2)
    assert aggr(x, index, None, 3).shape == (3, 2)
    assert aggr(x, index, dim_size=2).shape == (2, 2)
