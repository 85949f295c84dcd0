"""Learnable aggregations (attentional, DeepSets, LSTM/GRU, Set2Set, MLP, degree scalers)."""

import math

import pytest
import torch
from aggr_reference import ptr_from, segments, trains

from geode_aggr import (
    AttentionalAggregation,
    DeepSetsAggregation,
    DegreeScalerAggregation,
    GRUAggregation,
    LSTMAggregation,
    MLPAggregation,
    MultiAggregation,
    Set2Set,
)


def test_attentional_matches_loop(graph):
    x, index, n = graph
    x = x.float()
    torch.manual_seed(0)
    gate, nn = torch.nn.Linear(4, 1), torch.nn.Linear(4, 3)
    aggr = AttentionalAggregation(gate, nn)
    out = aggr(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            torch.testing.assert_close(out[d], torch.zeros(3))
            continue
        w = torch.softmax(gate(s).squeeze(-1), dim=0)
        torch.testing.assert_close(out[d], (w.unsqueeze(-1) * nn(s)).sum(0))
    perm = torch.randperm(len(index))
    torch.testing.assert_close(aggr(x[perm], index[perm], dim_size=n), out)
    trains(aggr, x, index, n)


def test_deep_sets_matches_loop(graph):
    x, index, n = graph
    x = x.float()
    phi, rho = torch.nn.Linear(4, 5), torch.nn.Linear(5, 2)
    aggr = DeepSetsAggregation(phi, rho)
    out = aggr(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        torch.testing.assert_close(out[d], rho(phi(s).sum(0) if len(s) else torch.zeros(5)))
    trains(aggr, x, index, n)


@pytest.mark.parametrize("cls", [LSTMAggregation, GRUAggregation])
def test_recurrent_matches_loop(sorted_graph, cls):
    x, index, n = sorted_graph
    torch.manual_seed(0)
    aggr = cls(3, 6)
    out = aggr(x, index, dim_size=n)
    assert out.shape == (n, 6)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            torch.testing.assert_close(out[d], torch.zeros(6))
            continue
        _, hidden = aggr.rnn(s.unsqueeze(0))
        h = hidden[0] if isinstance(hidden, tuple) else hidden
        torch.testing.assert_close(out[d], h[-1, 0])
    torch.testing.assert_close(aggr(x, ptr=ptr_from(index, n)), out)
    trains(aggr, x, index, n)


@pytest.mark.parametrize("cls", [LSTMAggregation, GRUAggregation])
def test_recurrent_rejects_unsorted(sorted_graph, cls):
    x, index, n = sorted_graph
    with pytest.raises(ValueError, match="sorted"):
        cls(3, 4)(x, index.flip(0), dim_size=n)
    assert cls.requires_sorted_index


def test_set2set_matches_loop(graph):
    x, index, n = graph
    x = x.float()
    torch.manual_seed(0)
    aggr = Set2Set(4, processing_steps=3)
    out = aggr(x, index, dim_size=n)
    assert out.shape == (n, 8)
    for d, s in enumerate(segments(x, index, n)):
        h = (torch.zeros(1, 1, 4), torch.zeros(1, 1, 4))
        q_star = torch.zeros(1, 8)
        for _ in range(3):
            q, h = aggr.lstm(q_star.unsqueeze(1), h)
            q = q[:, 0]
            if len(s):
                a = torch.softmax((s * q).sum(-1), dim=0)
                r = (a.unsqueeze(-1) * s).sum(0, keepdim=True)
            else:
                r = torch.zeros(1, 4)
            q_star = torch.cat([q, r], dim=-1)
        torch.testing.assert_close(out[d], q_star[0])
    perm = torch.randperm(len(index))
    torch.testing.assert_close(aggr(x[perm], index[perm], dim_size=n), out)
    trains(aggr, x, index, n)


def test_mlp_matches_loop(sorted_graph):
    x, index, n = sorted_graph
    aggr = MLPAggregation(3, 2, max_num_elements=4, num_layers=1)
    out = aggr(x, index, dim_size=n)
    lin = aggr.mlp[0]
    for d, s in enumerate(segments(x, index, n)):
        flat = torch.cat([s.reshape(-1), torch.zeros(3 * (4 - len(s)))])
        torch.testing.assert_close(out[d], lin(flat))
    trains(aggr, x, index, n)
    with pytest.raises(ValueError, match="max_num_elements"):
        MLPAggregation(3, 2, max_num_elements=2)(x, index, dim_size=n)
    with pytest.raises(ValueError, match="sorted"):
        aggr(x, index.flip(0), dim_size=n)


def test_degree_scaler_matches_loop(graph):
    x, index, n = graph
    deg = torch.tensor([1, 0, 1, 1, 2])  # degrees 0, 2, 3, 4, 4
    avg_lin = (0 + 2 + 3 + 4 + 4) / 5
    avg_log = sum(math.log(d + 1) for d in (0, 2, 3, 4, 4)) / 5
    scalers = ["identity", "amplification", "attenuation", "linear", "inverse_linear"]
    aggr = DegreeScalerAggregation(["mean", "max"], scalers, deg)
    out = aggr(x, index, dim_size=n)
    assert out.shape == (n, 4 * 2 * 5)
    for d, s in enumerate(segments(x, index, n)):
        base = (torch.cat([s.mean(0), s.max(0).values]) if len(s)
                else torch.zeros(8, dtype=x.dtype))
        k = max(len(s), 1)
        factors = [1.0, math.log(k + 1) / avg_log, avg_log / math.log(k + 1), k / avg_lin,
                   avg_lin / k]
        torch.testing.assert_close(out[d], torch.cat([base * f for f in factors]))


def test_degree_scaler_train_norm(graph):
    x, index, n = graph
    aggr = DegreeScalerAggregation("sum", ["amplification", "linear"], torch.tensor([0, 3, 2]),
                                   train_norm=True)
    trains(aggr, x.float(), index, n)
    with pytest.raises(ValueError, match="scaler"):
        DegreeScalerAggregation("sum", "cubic", torch.tensor([1, 1]))


@pytest.mark.parametrize("concat,layer_norm,heads", [(True, False, 1), (False, True, 2)])
def test_set_transformer_matches_per_set_run(graph, concat, layer_norm, heads):
    from geode_aggr import SetTransformerAggregation

    x, index, n = graph
    x = x.float()
    torch.manual_seed(0)
    aggr = SetTransformerAggregation(4, num_seed_points=2, heads=heads, concat=concat,
                                     layer_norm=layer_norm)
    out = aggr(x, index, dim_size=n)
    assert out.shape == (n, 8 if concat else 4)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            torch.testing.assert_close(out[d], torch.zeros_like(out[d]))
            continue
        # One set alone, no padding: masking must make the batched result identical.
        alone = aggr(s, torch.zeros(len(s), dtype=torch.long), dim_size=1)
        torch.testing.assert_close(out[d], alone[0])
    perm = torch.randperm(len(index))
    torch.testing.assert_close(aggr(x[perm], index[perm], dim_size=n), out)
    trains(aggr, x, index, n)


@pytest.mark.parametrize("make", [
    lambda: AttentionalAggregation(torch.nn.Linear(4, 1), torch.nn.Linear(4, 3)),
    lambda: DeepSetsAggregation(torch.nn.Linear(4, 4), torch.nn.Linear(4, 2)),
    lambda: MultiAggregation(["sum", "mean"], mode="proj",
                             mode_kwargs={"in_channels": 4, "out_channels": 3}),
], ids=["attentional", "deep_sets", "multi_proj"])
def test_reset_parameters_reaches_every_inner_network(make):
    aggr = make()
    with torch.no_grad():
        for p in aggr.parameters():
            p.zero_()
    aggr.reset_parameters()
    weights = [p for name, p in aggr.named_parameters() if name.endswith("weight")]
    assert weights and all(bool((w != 0).any()) for w in weights)


@pytest.mark.parametrize("kwargs", [{"num_layers": 2}, {"bidirectional": True}])
def test_lstm_options_match_loop(sorted_graph, kwargs):
    x, index, n = sorted_graph
    torch.manual_seed(0)
    aggr = LSTMAggregation(3, 4, **kwargs)
    out = aggr(x, index, dim_size=n)
    for d, s in enumerate(segments(x, index, n)):
        if len(s) == 0:
            torch.testing.assert_close(out[d], torch.zeros_like(out[d]))
            continue
        h = aggr.rnn(s.unsqueeze(0))[1][0]
        expected = torch.cat([h[-2, 0], h[-1, 0]]) if kwargs.get("bidirectional") else h[-1, 0]
        torch.testing.assert_close(out[d], expected)
