"""GraphMultisetTransformer, EquilibriumAggregation, LCMAggregation, PatchTransformerAggregation:
each destination computed alone (no padding, no batching) by a loop written in the test."""

import pytest
import torch
from aggr_reference import ptr_from, segments, trains

from geode_aggr import (
    EquilibriumAggregation,
    GraphMultisetTransformer,
    LCMAggregation,
    PatchTransformerAggregation,
)
from geode_core.nn.aggr import resolve_aggregation


def test_gmt_matches_per_set(graph):
    x, index, n = graph
    x = x.float()
    torch.manual_seed(0)
    gmt = GraphMultisetTransformer(4, k=3, num_encoder_blocks=2, heads=2).eval()
    out = gmt(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            assert torch.equal(out[d], torch.zeros(4))
            continue
        pooled = gmt.pool_k.block(gmt.pool_k.seed, torch.relu(gmt.pool_k.lin(s))[None])
        for block in gmt.encoders:
            pooled = block(pooled, pooled)
        final = gmt.pool_1.block(gmt.pool_1.seed, torch.relu(gmt.pool_1.lin(pooled)))
        torch.testing.assert_close(out[d], final[0, 0], atol=1e-5, rtol=1e-4)
    perm = torch.randperm(len(index))
    torch.testing.assert_close(gmt(x[perm], index[perm], dim_size=n), out, atol=1e-5, rtol=1e-4)
    trains(gmt.train(), x, index, n)


def _tree(items, combine):
    """Pairwise levels (0,1), (2,3), ...; an odd last item passes up unchanged."""
    while len(items) > 1:
        items = [combine(items[i][None], items[i + 1][None])[0] if i + 1 < len(items) else items[i]
                 for i in range(0, len(items), 2)]
    return items[0]


@pytest.mark.parametrize("project", [True, False])
def test_lcm_matches_tree(sorted_graph, project):
    x, index, n = sorted_graph
    torch.manual_seed(0)
    lcm = LCMAggregation(3, 3 if not project else 5, project=project)
    out = lcm(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            assert torch.equal(out[d], torch.zeros(out.size(1)))
            continue
        h = lcm.lin(s) if project else s
        torch.testing.assert_close(out[d], _tree(list(h), lcm.combine))
    torch.testing.assert_close(lcm(x, ptr=ptr_from(index, n)), out)
    a, b = torch.randn(2, 5 if project else 3), torch.randn(2, 5 if project else 3)
    torch.testing.assert_close(lcm.combine(a, b), lcm.combine(b, a))  # commutative
    trains(lcm, x, index, n)


def test_order_dependent_ones_need_sorted_index(graph):
    x, index, n = graph
    for aggr in (LCMAggregation(4, 4), PatchTransformerAggregation(4, 2, 2, 4)):
        assert aggr.requires_sorted_index
        with pytest.raises(ValueError, match="sorted"):
            aggr(x.float(), index, dim_size=n)


def test_equilibrium_matches_per_destination_descent(graph):
    x, index, n = graph
    torch.manual_seed(0)
    eq = EquilibriumAggregation(4, 2, num_layers=[8, 8], grad_iter=3, lamb=0.2).double()
    out = eq(x, index, dim_size=n)
    step = float(torch.nn.functional.softplus(eq.raw_step.detach()))
    for d, s in enumerate(segments(x, index, n)):
        y = torch.zeros(2, dtype=torch.float64)
        for _ in range(3):
            y = y.detach().requires_grad_()
            energy = eq.potential(torch.cat([s, y.expand(len(s), 2)], -1)).sum() + 0.2 * y.pow(2).sum()
            y = y - step * torch.autograd.grad(energy, y)[0]
        torch.testing.assert_close(out[d], y.detach())
    assert torch.equal(out[3], torch.zeros(2, dtype=torch.float64))  # no messages: stays at 0
    perm = torch.randperm(len(index))
    torch.testing.assert_close(eq(x[perm], index[perm], dim_size=n), out)
    with torch.no_grad():
        torch.testing.assert_close(eq(x, index, dim_size=n), out.detach())
    trains(eq, x, index, n)


def test_patch_transformer_matches_per_destination(sorted_graph):
    x, index, n = sorted_graph
    torch.manual_seed(0)
    agg = PatchTransformerAggregation(3, 2, patch_size=2, hidden_channels=4, heads=2,
                                      aggr=["mean", "max"]).eval()
    out = agg(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            assert torch.equal(out[d], torch.zeros(2))
            continue
        padded = torch.cat([s, torch.zeros(len(s) % 2, 3)])
        patches = agg.lin_in(padded.reshape(1, -1, 6))
        for block in agg.blocks:
            patches = block(patches, patches)
        pooled = torch.cat([patches[0].mean(0), patches[0].amax(0)])
        torch.testing.assert_close(out[d], agg.lin_out(pooled), atol=1e-5, rtol=1e-4)
    trains(agg.train(), x, index, n)


@pytest.mark.parametrize("name", ["graph_multiset_transformer", "GMT", "equilibrium", "LCMAggregation",
                                  "patch-transformer"])
def test_resolve_by_name(name):
    kwargs = {"graph_multiset_transformer": {"channels": 4, "k": 2}, "GMT": {"channels": 4, "k": 2},
              "equilibrium": {"in_channels": 4, "out_channels": 4, "num_layers": [4]},
              "LCMAggregation": {"in_channels": 4, "out_channels": 4},
              "patch-transformer": {"in_channels": 4, "out_channels": 4, "patch_size": 2,
                                    "hidden_channels": 4}}[name]
    aggr = resolve_aggregation(name, **kwargs)
    assert aggr(torch.randn(5, 4), torch.tensor([0, 0, 1, 1, 1]), dim_size=3).shape == (3, 4)
