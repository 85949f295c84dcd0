"""MultiAggregation: combine modes, shared moments, and name resolution of lists."""

import pytest
import torch
from aggr_reference import ptr_from, segments

from geode_aggr import MultiAggregation, StdAggregation, VarAggregation
from geode_core.nn.aggr import resolve_aggregation


def ref_stats(s, name):
    if len(s) == 0:
        return torch.zeros(s.shape[1:], dtype=s.dtype)
    if name == "sum":
        return s.sum(0)
    if name == "mean":
        return s.mean(0)
    if name == "max":
        return s.max(0).values
    if name == "min":
        return s.min(0).values
    var = s.var(0, unbiased=False)
    if name == "var":
        return var
    return torch.where(var > 1e-5, var.sqrt(), torch.zeros_like(var))


NAMES = ["sum", "mean", "max", "std", "var", "min"]


def expected(x, index, n, names):
    return [torch.stack([ref_stats(s, name) for s in segments(x, index, n)]) for name in names]


def test_cat_matches_loop(graph):
    x, index, n = graph
    aggr = resolve_aggregation(NAMES)
    assert isinstance(aggr, MultiAggregation)
    out = aggr(x, index, dim_size=n)
    torch.testing.assert_close(out, torch.cat(expected(x, index, n, NAMES), dim=-1))
    assert out.shape == (n, 4 * len(NAMES))
    order = torch.sort(index, stable=True).indices
    torch.testing.assert_close(aggr(x[order], ptr=ptr_from(index, n)), out)
    perm = torch.randperm(len(index))
    torch.testing.assert_close(aggr(x[perm], index[perm], dim_size=n), out)


@pytest.mark.parametrize("mode", ["sum", "mean", "max", "min", "logsumexp", "std", "var"])
def test_elementwise_modes(graph, mode):
    x, index, n = graph
    names = ["mean", "max", "std"]
    outs = torch.stack(expected(x, index, n, names))
    ref = {
        "sum": lambda t: t.sum(0), "mean": lambda t: t.mean(0), "max": lambda t: t.max(0).values,
        "min": lambda t: t.min(0).values, "logsumexp": lambda t: t.exp().sum(0).log(),
        "var": lambda t: t.var(0, unbiased=False), "std": lambda t: t.var(0, unbiased=False).sqrt(),
    }[mode](outs)
    out = MultiAggregation(names, mode=mode)(x, index, dim_size=n)
    torch.testing.assert_close(out, ref)


def test_proj_and_attn_train(graph):
    x, index, n = graph
    x = x.float()
    for mode, kwargs in [("proj", {"in_channels": 4, "out_channels": 6}),
                         ("attn", {"in_channels": 4, "out_channels": 6, "num_heads": 2})]:
        aggr = MultiAggregation(["mean", "max", "std"], mode=mode, mode_kwargs=kwargs)
        out = aggr(x, index, dim_size=n)
        assert out.shape == (n, 6)
        params = [p.detach().clone() for p in aggr.parameters()]
        opt = torch.optim.SGD(aggr.parameters(), lr=0.1)
        out.pow(2).sum().backward()
        opt.step()
        assert any(not torch.equal(a, b.detach()) for a, b in zip(params, aggr.parameters()))


def test_shared_moments_computed_once(graph, monkeypatch):
    x, index, n = graph
    calls = []
    for cls in (VarAggregation, StdAggregation):
        original = cls.forward

        def spy(self, *a, _orig=original, **k):
            calls.append(type(self).__name__)
            return _orig(self, *a, **k)

        monkeypatch.setattr(cls, "forward", spy)
    import geode_aggr.multi as multi_mod

    counted = []
    original_moments = multi_mod.moments

    def counting(*a, **k):
        counted.append(1)
        return original_moments(*a, **k)

    monkeypatch.setattr(multi_mod, "moments", counting)
    out = MultiAggregation(["sum", "mean", "var", "std"])(x, index, dim_size=n)
    assert calls == [] and counted == [1]
    torch.testing.assert_close(
        out, torch.cat(expected(x, index, n, ["sum", "mean", "var", "std"]), dim=-1))


def test_kwargs_and_mixed_entries(graph):
    x, index, n = graph
    aggr = resolve_aggregation(["softmax", "power_mean", StdAggregation()],
                               aggrs_kwargs=[{"t": 2.0}, {"p": 1.0}, {}])
    assert aggr.aggrs[0].init_t == 2.0
    assert aggr(x, index, dim_size=n).shape == (n, 12)


def test_errors():
    with pytest.raises(ValueError, match="mode"):
        MultiAggregation(["sum"], mode="bogus")
    with pytest.raises(ValueError, match="in_channels"):
        MultiAggregation(["sum", "max"], mode="proj")
    with pytest.raises(ValueError, match="aggrs_kwargs"):
        MultiAggregation(["sum", "max"], aggrs_kwargs=[{}])
    with pytest.raises(ValueError, match="non-empty"):
        MultiAggregation([])


def test_sage_with_a_list_of_aggregations_reads_their_concatenation():
    from geode_core.nn import SAGEConv

    torch.manual_seed(0)
    x = torch.randn(6, 3, dtype=torch.float64)
    edge_index = torch.tensor([[0, 1, 2, 3, 4, 5, 1], [1, 2, 0, 0, 0, 2, 3]])
    conv = SAGEConv(3, 5, aggr=["mean", "max", "std"]).double()
    assert conv.lin_l.in_features == 9
    assert MultiAggregation(["mean", "sum"], mode="proj",
                            mode_kwargs={"in_channels": 3, "out_channels": 7}).get_out_channels(3) == 7
    # brute force: per node, the mean, max and std of its in-neighbours' features
    rows = []
    for i in range(6):
        nbrs = x[edge_index[0][edge_index[1] == i]]
        if len(nbrs) == 0:
            rows.append(torch.zeros(9, dtype=torch.float64))
            continue
        var = (nbrs - nbrs.mean(0)).square().mean(0)
        std = torch.where(var > 1e-5, var.sqrt(), torch.zeros_like(var))  # as StdAggregation
        rows.append(torch.cat([nbrs.mean(0), nbrs.max(0).values, std]))
    expected = conv.lin_l(torch.stack(rows)) + conv.lin_r(x)
    torch.testing.assert_close(conv(x, edge_index), expected, atol=1e-4, rtol=1e-4)
