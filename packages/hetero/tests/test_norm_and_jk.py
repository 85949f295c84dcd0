"""HeteroBatchNorm / HeteroLayerNorm against per-type torch norms; HeteroJumpingKnowledge."""

import pytest
import torch

from geode_hetero import HeteroBatchNorm, HeteroJumpingKnowledge, HeteroLayerNorm


def _typed(num_types=4, n=50, c=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    type_vec = torch.randint(0, num_types - 1, (n,), generator=g)  # the last type is absent
    return torch.randn(n, c, generator=g) * 3 + 1, type_vec


def test_hetero_batch_norm_equals_batch_norm_per_type():
    x, type_vec = _typed()
    norm = HeteroBatchNorm(6, 4)
    torch.nn.init.normal_(norm.weight)
    torch.nn.init.normal_(norm.bias)
    refs = [torch.nn.BatchNorm1d(6) for _ in range(4)]
    for t, ref in enumerate(refs):
        ref.weight.data.copy_(norm.weight[t])
        ref.bias.data.copy_(norm.bias[t])
    for _ in range(2):  # training: batch statistics, running statistics updated
        out = norm(x, type_vec)
        for t in range(3):
            mask = type_vec == t
            assert torch.allclose(out[mask], refs[t](x[mask]), atol=1e-5)
            assert torch.allclose(norm.running_var[t], refs[t].running_var, atol=1e-5)
            assert torch.allclose(norm.running_mean[t], refs[t].running_mean, atol=1e-5)
    assert torch.equal(norm.running_mean[3], torch.zeros(6))  # an absent type keeps its stats
    norm.eval()
    out = norm(x, type_vec)
    for t in range(3):
        refs[t].eval()
        mask = type_vec == t
        assert torch.allclose(out[mask], refs[t](x[mask]), atol=1e-5)


def test_hetero_layer_norm_equals_layer_norm_with_type_affine():
    x, type_vec = _typed()
    norm = HeteroLayerNorm(6, 4)
    torch.nn.init.normal_(norm.weight)
    out = norm(x, type_vec)
    ref = torch.nn.functional.layer_norm(x, (6,)) * norm.weight[type_vec] + norm.bias[type_vec]
    assert torch.allclose(out, ref, atol=1e-5)
    with pytest.raises(ValueError, match="mode must be 'node'"):
        HeteroLayerNorm(6, 4, mode="graph")
    with pytest.raises(ValueError, match=r"type_vec must be \[50\]"):
        norm(x, type_vec[:3])


def test_hetero_jumping_knowledge_modes():
    xs = {"a": [torch.randn(3, 4) for _ in range(3)], "b": [torch.randn(2, 4) for _ in range(3)]}
    cat = HeteroJumpingKnowledge(["a", "b"], "cat")(xs)
    assert torch.equal(cat["a"], torch.cat(xs["a"], -1))
    mx = HeteroJumpingKnowledge(["a", "b"], "max")(xs)
    assert torch.equal(mx["b"], torch.maximum(torch.maximum(xs["b"][0], xs["b"][1]), xs["b"][2]))
    jk = HeteroJumpingKnowledge(["a", "b"], "lstm", channels=4, num_layers=3)
    out = jk(xs)
    # attention weights are a convex combination: each output lies within the layers' range
    stacked = torch.stack(xs["a"])
    assert torch.all(out["a"] <= stacked.amax(0) + 1e-6) and torch.all(out["a"] >= stacked.amin(0) - 1e-6)
    out["a"].sum().backward()
    assert jk.lstm["a"].att.weight.grad is not None and jk.lstm["b"].att.weight.grad is None
    with pytest.raises(ValueError, match="needs channels and num_layers"):
        HeteroJumpingKnowledge(["a"], "lstm")
