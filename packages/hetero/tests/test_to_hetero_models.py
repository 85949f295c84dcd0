"""to_hetero on the BasicGNN models (GraphSAGE, GCN, GAT, GIN) with jumping knowledge."""

import pytest
import torch

from geode_core.nn import models
from geode_hetero import ConversionError, to_hetero
from geode_hetero.keys import type_key

MODELS = {
    "GraphSAGE": lambda **kw: models.GraphSAGE(-1, 8, 2, **kw),
    "GCN": lambda **kw: models.GCN(-1, 8, 2, **kw),
    "GAT": lambda **kw: models.GAT(-1, 8, 2, heads=2, add_self_loops=False, **kw),
    "GIN": lambda **kw: models.GIN(-1, 8, 2, **kw),
}


@pytest.mark.parametrize("jk", [None, "cat", "max", "lstm"])
@pytest.mark.parametrize("name", list(MODELS))
def test_one_type_equals_the_homogeneous_model(name, jk):
    torch.manual_seed(0)
    x, edge_index = torch.randn(12, 5), torch.randint(0, 12, (2, 40))
    model = MODELS[name](jk=jk, out_channels=3)
    expected = model(x, edge_index)
    hetero = to_hetero(model, (["n"], [("n", "e", "n")]))
    out = hetero({"n": x}, {("n", "e", "n"): edge_index})
    assert set(out) == {"n"} and torch.allclose(out["n"], expected, atol=1e-5)


def _sage_reference(hetero, x_dict, ei_dict, edge_types):
    """GraphSAGE(jk="max", out_channels) written out per type with the converted layers."""
    xs, h = [], x_dict
    for i in range(2):
        outs = {}
        for e in edge_types:
            s, _, d = e
            conv = getattr(hetero, f"convs_{i}")[type_key(e)]
            outs.setdefault(d, []).append(conv(h[s] if s == d else (h[s], h[d]), ei_dict[e]))
        h = {t: torch.stack(v).sum(0).relu() for t, v in outs.items()}
        xs.append(h)
    return {t: hetero.lin[t](torch.stack([xs[0][t], xs[1][t]]).amax(0)) for t in xs[1]}


def test_many_types_equal_the_per_type_loop_and_every_type_learns(make_hetero):
    x_dict, ei_dict, metadata = make_hetero(4, 9, seed=5)
    torch.manual_seed(2)
    hetero = to_hetero(models.GraphSAGE(-1, 8, 2, out_channels=3, jk="max"), metadata)
    out = hetero(x_dict, ei_dict)
    expected = _sage_reference(hetero, x_dict, ei_dict, metadata[1])
    assert set(out) == set(metadata[0]) == set(expected)
    for t in out:
        assert torch.allclose(out[t], expected[t], atol=1e-5)
    sum((o ** 2).sum() for o in out.values()).backward()
    for name, param in hetero.named_parameters():
        assert param.grad is not None, name
    for t in metadata[0]:  # each node type's own head learns
        assert hetero.lin[t].weight.grad.abs().sum() > 0, t


@pytest.mark.parametrize("name", ["GAT", "GIN"])
def test_other_models_reach_every_types_parameters(name, make_hetero):
    # one feature size: GATConv(-1, ...) projects sources and destinations with one layer
    x_dict, ei_dict, metadata = make_hetero(3, 6, channels=4, seed=4)
    hetero = to_hetero(MODELS[name](jk="cat", out_channels=2), metadata)
    out = hetero(x_dict, ei_dict)
    assert {t: o.shape for t, o in out.items()} == {t: (x.size(0), 2) for t, x in x_dict.items()}
    sum(o.sum() for o in out.values()).backward()
    assert all(p.grad is not None for p in hetero.parameters())


def test_dropout_follows_train_and_eval_of_the_converted_model():
    torch.manual_seed(0)
    x, edge_index = torch.randn(30, 6), torch.randint(0, 30, (2, 90))
    model = models.GraphSAGE(6, 16, 2, dropout=0.5)
    hetero = to_hetero(model, (["n"], [("n", "e", "n")]))
    inputs = ({"n": x}, {("n", "e", "n"): edge_index})
    assert not torch.equal(hetero(*inputs)["n"], hetero(*inputs)["n"])  # training: random masks
    hetero.eval()
    model.eval()
    assert torch.allclose(hetero(*inputs)["n"], model(x, edge_index), atol=1e-6)


def test_gcn_runs_on_self_relations_and_names_the_layer_on_others():
    x_dict = {"a": torch.randn(5, 3), "b": torch.randn(4, 3)}
    ei_dict = {("a", "to", "a"): torch.tensor([[0, 1, 2], [1, 2, 3]]),
               ("b", "to", "b"): torch.tensor([[0, 3], [1, 2]])}
    hetero = to_hetero(models.GCN(3, 4, 2), (list(x_dict), list(ei_dict)))
    out = hetero(x_dict, ei_dict)
    for t in x_dict:  # each type alone: its own GCN on its own graph
        e = (t, "to", t)
        h = hetero.convs_0[type_key(e)](x_dict[t], ei_dict[e]).relu()
        assert torch.allclose(out[t], hetero.convs_1[type_key(e)](h, ei_dict[e]), atol=1e-6)
    with pytest.raises(ConversionError, match=r"layer 'convs.0' \(GCNConv\) cannot run on edge type "
                                              r"\('a', 'r', 'b'\)"):
        to_hetero(models.GCN(3, 4, 2), (["a", "b"], [("a", "r", "b"), ("b", "r", "a")]))


def test_optional_inputs_are_fixed_unless_input_map_names_them():
    metadata = (["n"], [("n", "e", "n")])
    x, edge_index = {"n": torch.randn(4, 3)}, {("n", "e", "n"): torch.tensor([[0, 1], [1, 2]])}
    hetero = to_hetero(models.GraphSAGE(3, 4, 1), metadata)
    with pytest.raises(ValueError, match=r"input 'batch' was fixed to its default None.*input_map"):
        hetero(x, edge_index, batch={"n": torch.zeros(4, dtype=torch.long)})
    hetero = to_hetero(models.GraphSAGE(3, 4, 1), metadata, input_map={"batch": "node"})
    batch = {"n": torch.zeros(4, dtype=torch.long)}
    assert torch.equal(hetero(x, edge_index, batch=batch)["n"], hetero(x, edge_index)["n"])


@pytest.mark.parametrize("name", ["GraphSAGE", "GAT"])
def test_converted_models_compile_without_graph_breaks(name, make_hetero):
    x_dict, ei_dict, metadata = make_hetero(3, 4, channels=5, seed=3)
    torch.manual_seed(0)
    hetero = to_hetero(MODELS[name](jk="cat", out_channels=2), metadata)
    expected = hetero(x_dict, ei_dict)
    torch._dynamo.reset()
    out = torch.compile(hetero, fullgraph=True, backend="eager")(x_dict, ei_dict)
    for t in expected:
        assert torch.allclose(out[t], expected[t], atol=1e-5)


def test_cached_adjacencies_give_the_same_result_as_edge_indices(make_hetero):
    from geode_core.data import HeteroData

    x_dict, ei_dict, metadata = make_hetero(3, 7, channels=4, seed=9)
    data = HeteroData()
    for t, x in x_dict.items():
        data[t].x = x
    for e, ei in ei_dict.items():
        data[e].edge_index = ei
    hetero = to_hetero(models.GraphSAGE(4, 8, 2, out_channels=3), metadata)
    expected = hetero(x_dict, ei_dict)
    out = hetero(data.x_dict, data.adj_t_dict)
    assert all(torch.allclose(out[t], expected[t], atol=1e-6) for t in expected)
