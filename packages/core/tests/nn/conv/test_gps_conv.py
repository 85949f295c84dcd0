import pytest
import torch

from geode_core.nn import GPSConv, GraphConv


def test_gps_conv_attention_per_graph():
    torch.manual_seed(0)
    x = torch.randn(7, 4, dtype=torch.float64)
    batch = torch.tensor([0, 0, 0, 1, 1, 1, 1])
    ei = torch.tensor([[0, 1, 3, 4, 5], [1, 2, 4, 5, 6]])
    conv = GPSConv(4, GraphConv(4, 4), heads=2, norm=None).double().eval()
    local = conv.conv(x, ei) + x
    attn = torch.cat([conv.attn(x[batch == g][None], x[batch == g][None], x[batch == g][None])[0][0]
                      for g in (0, 1)]) + x
    h = local + attn
    assert torch.allclose(conv(x, ei, batch), h + conv.mlp(h))


def test_gps_conv_norm_and_errors():
    x = torch.randn(5, 4)
    ei = torch.tensor([[0, 1, 2], [1, 2, 3]])
    conv = GPSConv(4, None, norm="batch_norm")
    assert conv(x, ei).shape == (5, 4)
    with pytest.raises(ValueError, match="attn_type"):
        GPSConv(4, None, attn_type="performer")
