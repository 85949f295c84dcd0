import pytest
import torch

from geode_core.nn import MLP


def test_mlp_layers_match_manual_formula():
    torch.manual_seed(0)
    mlp = MLP([4, 8, 3], norm=None, act="leaky_relu", act_kwargs={"negative_slope": 0.3}).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    h = torch.nn.functional.leaky_relu(mlp.lins[0](x), 0.3)
    assert torch.allclose(mlp(x), mlp.lins[1](h))
    _, emb = mlp(x, return_emb=True)
    assert torch.allclose(emb, h)


def test_mlp_from_sizes_norm_and_errors():
    mlp = MLP(in_channels=4, hidden_channels=6, out_channels=2, num_layers=3, dropout=[0.1, 0.2, 0.0])
    assert mlp.channel_list == [4, 6, 6, 2] and len(mlp.norms) == 2
    assert type(mlp.norms[0]).__name__ == "BatchNorm"
    assert mlp(torch.randn(7, 4)).shape == (7, 2)
    graph_norm = MLP([4, 4, 2], norm="graph_norm")
    assert graph_norm(torch.randn(6, 4), batch=torch.tensor([0, 0, 0, 1, 1, 1])).shape == (6, 2)
    assert len(MLP([4, 4, 2], plain_last=False).norms) == 2
    with pytest.raises(ValueError, match="num_layers"):
        MLP(in_channels=4, out_channels=2)
    with pytest.raises(ValueError, match="one entry per layer"):
        MLP([4, 4, 2], dropout=[0.1])
