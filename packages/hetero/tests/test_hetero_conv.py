"""HeteroConv against the per-edge-type loop written out here."""

import pytest
import torch

from geode_core.nn import GATConv, GraphConv, SAGEConv
from geode_hetero import HeteroConv


def _loop(convs, x_dict, edge_index_dict, reduce):
    outs = {}
    for (s, r, d), conv in convs.items():
        x = x_dict[s] if s == d else (x_dict[s], x_dict[d])
        outs.setdefault(d, []).append(conv(x, edge_index_dict[(s, r, d)]))
    return {t: reduce(v) for t, v in outs.items()}


REDUCTIONS = {
    "sum": lambda v: torch.stack(v).sum(0), "mean": lambda v: torch.stack(v).mean(0),
    "max": lambda v: torch.stack(v).amax(0), "min": lambda v: torch.stack(v).amin(0),
    "cat": lambda v: torch.cat(v, -1), None: lambda v: torch.stack(v, 1),
}


@pytest.mark.parametrize("aggr", list(REDUCTIONS))
@pytest.mark.parametrize("num_node_types", [2, 5, 20])
def test_hetero_conv_equals_per_type_loop(aggr, num_node_types, make_hetero):
    x_dict, ei_dict, (_, edge_types) = make_hetero(num_node_types, num_node_types + 3, seed=num_node_types)
    torch.manual_seed(0)
    convs = {e: SAGEConv((-1, -1), 6) if e[0] != e[2] else GraphConv(-1, 6) for e in edge_types}
    conv = HeteroConv(convs, aggr=aggr)
    out = conv(x_dict, ei_dict)
    expected = _loop(convs, x_dict, ei_dict, REDUCTIONS[aggr])
    assert set(out) == set(expected)
    for t in out:
        assert torch.allclose(out[t], expected[t], atol=1e-5)
    sum(o.sum() for o in out.values()).backward()
    for module in conv.convs.values():  # gradients reach every relation's parameters
        assert all(p.grad is not None for p in module.parameters())


def test_hetero_conv_passes_per_type_keyword_dicts_and_skips_missing_edge_types(make_hetero):
    x_dict, ei_dict, (_, edge_types) = make_hetero(2, 3, channels=4, seed=3)
    convs = {e: GATConv(4, 3, heads=2, add_self_loops=False, edge_dim=1) for e in edge_types}
    conv = HeteroConv(convs)
    attr = {e: torch.randn(ei.size(1), 1) for e, ei in ei_dict.items()}
    out = conv(x_dict, ei_dict, edge_attr_dict=attr)
    expected = {}
    for (s, r, d), c in convs.items():
        x = x_dict[s] if s == d else (x_dict[s], x_dict[d])
        expected.setdefault(d, []).append(c(x, ei_dict[(s, r, d)], edge_attr=attr[(s, r, d)]))
    for t in out:
        assert torch.allclose(out[t], torch.stack(expected[t]).sum(0), atol=1e-5)
    dropped = dict(list(ei_dict.items())[1:])
    assert conv(x_dict, dropped, edge_attr_dict=attr).keys() == {e[2] for e in dropped}
    with pytest.raises(ValueError, match="must end in '_dict'"):
        conv(x_dict, ei_dict, edge_attr=attr)


def test_hetero_conv_warns_about_node_types_without_messages_and_rejects_bad_input():
    with pytest.warns(UserWarning, match=r"\['user'\] send messages but never receive"):
        HeteroConv({("user", "buys", "item"): SAGEConv((-1, -1), 4)})
    with pytest.raises(ValueError, match="aggr must be one of"):
        HeteroConv({("a", "r", "a"): SAGEConv(4, 4)}, aggr="median")
    with pytest.raises(ValueError, match="keys must be"):
        HeteroConv({"a": SAGEConv(4, 4)})
