import pytest
import torch

from geode_core.nn import GraphNorm, LayerNorm, activation_resolver, normalization_resolver


def test_activation_by_name_class_and_module():
    assert isinstance(activation_resolver("relu"), torch.nn.ReLU)
    assert activation_resolver("leaky_relu", negative_slope=0.3).negative_slope == 0.3
    assert isinstance(activation_resolver("swish"), torch.nn.SiLU)
    assert isinstance(activation_resolver(torch.nn.GELU), torch.nn.GELU)
    act = torch.nn.Tanh()
    assert activation_resolver(act) is act
    with pytest.raises(ValueError, match="unknown activation"):
        activation_resolver("sparkle")


def test_normalization_by_name():
    assert isinstance(normalization_resolver("graph_norm", 4), GraphNorm)
    assert isinstance(normalization_resolver("GraphNorm", 4), GraphNorm)
    assert normalization_resolver("layer", 4, mode="node").mode == "node"
    assert isinstance(normalization_resolver(LayerNorm, 4), LayerNorm)
    assert normalization_resolver(None) is None
    with pytest.raises(ValueError, match="unknown normalization"):
        normalization_resolver("group_norm", 4)
