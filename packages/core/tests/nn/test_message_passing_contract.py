"""MessagePassing gaps: hooks, edge_updater, torch sparse input, explain mask over self-loops,
multi-aggregation through the registry."""

import pytest
import torch

from geode_core.nn import GATConv, GCNConv, MessagePassing, SAGEConv, SimpleConv
from geode_core.nn.graph_input import sparse_to_edge_index

EI = torch.tensor([[0, 1, 2, 3, 0], [1, 2, 3, 1, 3]])


class EdgeScore(MessagePassing):
    """Per-edge scores via edge_updater, then a weighted sum."""

    def forward(self, x, edge_index):
        score = self.edge_updater(edge_index, x=x)
        return self.propagate(edge_index, x=x, score=score), score

    def edge_update(self, x_i, x_j):
        return (x_i * x_j).sum(-1)

    def message(self, x_j, score):
        return score.view(-1, 1) * x_j


def test_edge_updater_lifts_i_j():
    x = torch.randn(4, 3, dtype=torch.float64)
    out, score = EdgeScore()(x, EI)
    assert torch.allclose(score, (x[EI[1]] * x[EI[0]]).sum(-1))
    ref = torch.zeros_like(x).index_add_(0, EI[1], score.view(-1, 1) * x[EI[0]])
    assert torch.allclose(out, ref)


def test_edge_updater_without_edge_update_is_an_error():
    with pytest.raises(TypeError, match="edge_update"):
        SimpleConv().edge_updater(EI, x=torch.randn(4, 2))


def test_hooks_run_and_can_change_values():
    conv = SimpleConv()
    x = torch.randn(4, 2)
    seen = []
    handles = [
        conv.register_propagate_forward_pre_hook(lambda m, inp: seen.append("pre-propagate")),
        conv.register_message_forward_pre_hook(lambda m, inp: seen.append(sorted(inp[0]))),
        conv.register_message_forward_hook(lambda m, inp, out: out * 2),
        conv.register_aggregate_forward_pre_hook(lambda m, inp: seen.append("pre-aggregate")),
        conv.register_aggregate_forward_hook(lambda m, inp, out: out + 1),
        conv.register_propagate_forward_hook(lambda m, inp, out: seen.append(out.shape)),
    ]
    out = conv(x, EI)
    ref = torch.zeros_like(x).index_add_(0, EI[1], x[EI[0]])
    assert torch.allclose(out, 2 * ref + 1)  # hooks force the per-edge path
    assert seen == ["pre-propagate", ["edge_weight", "x_j"], "pre-aggregate", torch.Size([4, 2])]
    for h in handles:
        h.remove()
    assert torch.allclose(conv(x, EI), ref)


class Plain(MessagePassing):
    def forward(self, x, edge_index):
        return self.propagate(edge_index, x=x)


def test_propagate_pre_hook_replaces_inputs():
    conv = Plain()
    x = torch.randn(4, 2)
    conv.register_propagate_forward_pre_hook(
        lambda m, inp: (inp[0].flip(0), inp[1], inp[2]))
    flipped = torch.zeros_like(x).index_add_(0, EI[0], x[EI[1]])
    assert torch.allclose(conv(x, EI), flipped)


def test_edge_update_hooks():
    layer = EdgeScore()
    layer.register_edge_update_forward_hook(lambda m, inp, out: torch.zeros_like(out))
    _, score = layer(torch.randn(4, 3), EI)
    assert torch.all(score == 0)


@pytest.mark.parametrize("layout", ["csr", "csc", "coo"])
def test_torch_sparse_input_is_adj_t(layout):
    w = torch.rand(EI.size(1), dtype=torch.float64)
    adj_t = torch.sparse_coo_tensor(EI.flip(0), w, (4, 4))
    adj_t = {"csr": adj_t.to_sparse_csr(), "csc": adj_t.to_sparse_csc(), "coo": adj_t}[layout]
    ei, weight, size = sparse_to_edge_index(adj_t)
    assert size == (4, 4)
    got = {(int(s), int(d)): float(v) for (s, d), v in zip(ei.t(), weight)}
    assert got == {(int(s), int(d)): float(v) for (s, d), v in zip(EI.t(), w)}
    x = torch.randn(4, 2, dtype=torch.float64)
    assert torch.allclose(SimpleConv()(x, adj_t), torch.zeros_like(x).index_add_(
        0, EI[1], w.view(-1, 1) * x[EI[0]]))


def test_sparse_input_rejects_target_to_source():
    adj_t = torch.sparse_coo_tensor(EI.flip(0), torch.ones(5), (4, 4)).to_sparse_csr()
    with pytest.raises(ValueError, match="flow"):
        SimpleConv(flow="target_to_source")(torch.randn(4, 2), adj_t)


@pytest.mark.parametrize("make", [lambda: GCNConv(2, 2), lambda: GATConv(2, 2, heads=2)])
def test_explain_mask_covers_layer_added_self_loops(make):
    torch.manual_seed(0)
    conv = make().double()
    x = torch.randn(4, 2, dtype=torch.float64)
    full = conv(x, EI)
    conv._edge_mask = torch.ones(EI.size(1), dtype=torch.float64)  # one entry per input edge
    assert torch.allclose(conv(x, EI), full)
    conv._edge_mask = torch.zeros(EI.size(1), dtype=torch.float64)
    only_loops = conv(x, EI)
    conv._edge_mask = torch.zeros(EI.size(1) + 4, dtype=torch.float64)  # loops covered too
    nothing = conv(x, EI)
    bias = conv.bias.expand_as(nothing)
    assert torch.allclose(nothing, bias)
    assert not torch.allclose(only_loops, bias)  # appended loops kept weight 1
    conv._edge_mask = torch.ones(3, dtype=torch.float64)
    with pytest.raises(ValueError, match="_edge_mask"):
        conv(x, EI)


def test_list_aggregation_resolves_through_registry():
    pytest.importorskip("geode_aggr")
    x = torch.randn(4, 2)
    out = SimpleConv(aggr=["sum", "max"])(x, EI)
    assert torch.allclose(out[:, :2], SimpleConv(aggr="sum")(x, EI), atol=1e-6)
    assert torch.allclose(out[:, 2:], SimpleConv(aggr="max")(x, EI))


def test_list_aggregation_without_geode_aggr_names_it(fresh_registry):
    with pytest.raises(ImportError, match="geode-aggr"):
        SAGEConv(2, 2, aggr=["mean", "max"])
