"""static_shapes(), set_aggregation_dim_size and the masked losses and metrics."""

import pytest
import torch
import torch.nn.functional as F

from geode_core.nn import SAGEConv
from geode_core.nn.aggr import MeanAggregation, SumAggregation
from geode_core.utils import to_dense_batch
from geode_core.utils.static import static_shapes_enabled
from geode_ipu import (
    StaticShapeError,
    masked_accuracy,
    masked_cross_entropy,
    masked_targets,
    set_aggregation_dim_size,
    static_shapes,
)


def test_static_shapes_nests_and_restores_even_on_error():
    assert not static_shapes_enabled()
    with static_shapes():
        assert static_shapes_enabled()
        with static_shapes(False):
            assert not static_shapes_enabled()
        assert static_shapes_enabled()
    with pytest.raises(StaticShapeError), static_shapes():
        to_dense_batch(torch.ones(2, 1), torch.tensor([0, 1]))
    assert not static_shapes_enabled()


def test_message_passing_layers_pass_their_sizes():
    conv = SAGEConv(4, 2, aggr="max")
    x, ei = torch.randn(5, 4), torch.tensor([[0, 1, 2], [1, 2, 3]])
    with static_shapes():
        assert conv(x, ei).shape == (5, 2)


def test_set_aggregation_dim_size_fixes_pooling_size():
    model = torch.nn.ModuleDict({"a": SumAggregation(), "b": MeanAggregation(), "c": torch.nn.Linear(1, 1)})
    assert set_aggregation_dim_size(model, 4) == 2
    x, index = torch.ones(3, 2), torch.tensor([0, 0, 2])
    with static_shapes():
        assert model["a"](x, index).shape == (4, 2)
        assert model["b"](x, index, dim_size=3).shape == (3, 2)  # an explicit size wins
    with pytest.raises(ValueError, match="dim_size"):
        set_aggregation_dim_size(model, -1)


def test_masked_cross_entropy_equals_loss_on_real_rows():
    torch.manual_seed(0)
    logits, y = torch.randn(10, 4), torch.randint(0, 4, (10,))
    mask = torch.tensor([True] * 6 + [False] * 4)
    expected = F.cross_entropy(logits[:6], y[:6])
    torch.testing.assert_close(masked_cross_entropy(logits, y, mask), expected)
    # the where(mask, y, -100) form gives the same loss
    torch.testing.assert_close(F.cross_entropy(logits, torch.where(mask, y, -100)), expected)
    assert torch.equal(masked_targets(y, mask)[6:], torch.full((4,), -100))
    none = torch.zeros(10, dtype=torch.bool)
    assert masked_cross_entropy(logits, y, none).item() == 0.0
    with pytest.raises(ValueError, match="mask"):
        masked_cross_entropy(logits, y, mask.float())


def test_masked_accuracy_counts_real_entries_only():
    pred = torch.tensor([0, 1, 2, 3, 0])
    y = torch.tensor([0, 1, 0, 3, 1])
    mask = torch.tensor([True, True, True, False, False])
    assert masked_accuracy(pred, y, mask).item() == pytest.approx(2 / 3)
    logits = F.one_hot(pred, 4).float()
    assert masked_accuracy(logits, y, mask).item() == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="mask"):
        masked_accuracy(pred, y, mask[:3])
