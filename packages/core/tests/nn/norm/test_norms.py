import pytest
import torch

from geode_core.nn import (
    BatchNorm,
    GraphNorm,
    GraphSizeNorm,
    InstanceNorm,
    LayerNorm,
    MessageNorm,
    PairNorm,
)

BATCH = torch.tensor([0, 0, 0, 1, 1])


def _x():
    return torch.randn(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))


def _per_graph(x, fn):
    return torch.cat([fn(x[g == BATCH]) for g in (0, 1)])


def test_batch_norm_matches_batchnorm1d_and_single_element():
    x = _x()
    bn = BatchNorm(3).double()
    assert torch.allclose(bn(x), (x - x.mean(0)) / (x.var(0, unbiased=False) + 1e-5).sqrt())
    single = BatchNorm(3, allow_single_element=True).double()
    assert torch.allclose(single(x[:1]), x[:1] / (1 + 1e-5) ** 0.5)


def test_layer_norm_graph_and_node_modes():
    x = _x()
    graph = LayerNorm(3).double()
    ref = _per_graph(x, lambda t: (t - t.mean()) / (t.var(unbiased=False) + 1e-5).sqrt())
    assert torch.allclose(graph(x, BATCH), ref)
    node = LayerNorm(3, mode="node").double()
    assert torch.allclose(node(x), torch.nn.functional.layer_norm(x, (3,)))
    with pytest.raises(ValueError, match="mode"):
        LayerNorm(3, mode="edge")


def test_graph_norm():
    x = _x()
    norm = GraphNorm(3).double()
    with torch.no_grad():
        norm.mean_scale.fill_(0.5)
    def ref(t):
        c = t - 0.5 * t.mean(0)
        return c / (c.pow(2).mean(0) + 1e-5).sqrt()
    assert torch.allclose(norm(x, BATCH), _per_graph(x, ref))


def test_instance_norm_and_running_stats():
    x = _x()
    ref = _per_graph(x, lambda t: (t - t.mean(0)) / (t.var(0, unbiased=False) + 1e-5).sqrt())
    assert torch.allclose(InstanceNorm(3).double()(x, BATCH), ref)
    tracked = InstanceNorm(3, track_running_stats=True, momentum=1.0).double()
    tracked(x, BATCH)
    means = torch.stack([x[g == BATCH].mean(0) for g in (0, 1)]).mean(0)
    assert torch.allclose(tracked.running_mean, means)
    tracked.eval()
    assert torch.allclose(tracked(x, BATCH), (x - tracked.running_mean) / (tracked.running_var + 1e-5).sqrt())


def test_pair_and_size_norms():
    x = _x()
    def pair_ref(t):
        c = t - t.mean(0)
        return c / (1e-5 + c.pow(2).sum(-1).mean()).sqrt()
    assert torch.allclose(PairNorm()(x, BATCH), _per_graph(x, pair_ref))
    indiv = PairNorm(scale=2.0, scale_individually=True)(x, BATCH)
    assert torch.allclose(indiv, _per_graph(x, lambda t: 2 * (t - t.mean(0)) / (1e-5 + (t - t.mean(0)).norm(dim=-1, keepdim=True))))
    assert torch.allclose(GraphSizeNorm()(x, BATCH), _per_graph(x, lambda t: t / t.size(0) ** 0.5))


def test_message_norm():
    x, msg = _x(), _x().flip(0)
    out = MessageNorm()(x, msg)
    assert torch.allclose(out.norm(dim=-1), x.norm(dim=-1))
