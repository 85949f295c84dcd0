"""to_hetero: equals the homogeneous model on one type, the per-type loop on many."""

import pytest
import torch

from geode_core.nn import GATConv, GCNConv, GraphConv, SAGEConv
from geode_hetero import ConversionError, to_hetero
from geode_hetero.keys import type_key


class JumpingMax(torch.nn.Module):
    """A module taking a list of layer outputs (a stand-in for JumpingKnowledge("max"))."""

    def forward(self, xs):
        return torch.stack(xs).amax(0)


class SkipNet(torch.nn.Module):
    def __init__(self, conv=SAGEConv):
        super().__init__()
        self.conv1 = conv(-1, 8)
        self.conv2 = conv(8, 8)
        self.skip = torch.nn.LazyLinear(8)
        self.jk = JumpingMax()
        self.head = torch.nn.Linear(8, 3)

    def forward(self, x, edge_index):
        h1 = torch.relu(self.conv1(x, edge_index))
        h2 = self.conv2(h1, edge_index).relu() + self.skip(x)
        return self.head(self.jk([h1, h2])).log_softmax(dim=-1)


@pytest.mark.parametrize("conv", [SAGEConv, GraphConv, GCNConv, GATConv])
def test_one_type_equals_homogeneous_model(conv):
    torch.manual_seed(0)
    x, edge_index = torch.randn(10, 5), torch.randint(0, 10, (2, 30))
    model = SkipNet(conv)
    expected = model(x, edge_index)
    hetero = to_hetero(model, (["n"], [("n", "e", "n")]))
    out = hetero({"n": x}, {("n", "e", "n"): edge_index})
    assert set(out) == {"n"} and torch.allclose(out["n"], expected, atol=1e-6)


def _reference(hetero, x_dict, ei_dict, edge_types):
    """SkipNet on typed inputs, written out with the converted model's per-type layers."""
    def conv(name, xs):
        outs = {}
        for e in edge_types:
            s, _, d = e
            layer = getattr(hetero, name)[type_key(e)]
            outs.setdefault(d, []).append(layer(xs[s] if s == d else (xs[s], xs[d]), ei_dict[e]))
        return {t: torch.stack(v).sum(0) for t, v in outs.items()}

    h1 = {t: v.relu() for t, v in conv("conv1", x_dict).items()}
    h2 = {t: v.relu() + hetero.skip[t](x_dict[t]) for t, v in conv("conv2", h1).items()}
    return {t: hetero.head[t](torch.stack([h1[t], h2[t]]).amax(0)).log_softmax(-1) for t in h2}


@pytest.mark.parametrize("num_node_types", [2, 7, 20])
def test_many_types_equal_per_type_loop_and_every_type_learns(num_node_types, make_hetero):
    x_dict, ei_dict, metadata = make_hetero(num_node_types, 2 * num_node_types, seed=num_node_types)
    torch.manual_seed(1)
    hetero = to_hetero(SkipNet(), metadata)
    out = hetero(x_dict, ei_dict)
    expected = _reference(hetero, x_dict, ei_dict, metadata[1])
    assert set(out) == set(metadata[0]) == set(expected)
    for t in out:
        assert torch.allclose(out[t], expected[t], atol=1e-5)
    sum(o.sum() for o in out.values()).backward()
    for name, param in hetero.named_parameters():
        assert param.grad is not None, name
    # lazy input sizes were inferred per node type
    for t, x in x_dict.items():
        assert hetero.skip[t].weight.shape == (8, x.size(1))


def test_copies_after_the_first_get_fresh_parameters():
    hetero = to_hetero(SkipNet(), (["a", "b"], [("a", "r", "b"), ("b", "r", "a")]))
    assert not torch.equal(hetero.head["a"].weight, hetero.head["b"].weight)


def test_other_aggregations_and_input_map():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = GraphConv(4, 3)

        def forward(self, x, adjacency, scale):
            return self.conv(x, adjacency) * scale

    x_dict = {"a": torch.randn(4, 4), "b": torch.randn(3, 4)}
    ei = {("a", "r", "b"): torch.tensor([[0, 1], [2, 2]]), ("b", "s", "b"): torch.tensor([[0, 2], [1, 1]])}
    hetero = to_hetero(Net(), (list(x_dict), list(ei)), aggr="max",
                       input_map={"adjacency": "edge", "scale": None})
    out = hetero(x_dict, ei, 2.0)
    first = hetero.conv[type_key(("a", "r", "b"))]((x_dict["a"], x_dict["b"]), ei[("a", "r", "b")])
    second = hetero.conv[type_key(("b", "s", "b"))](x_dict["b"], ei[("b", "s", "b")])
    assert set(out) == {"b"}
    assert torch.allclose(out["b"], torch.maximum(first, second) * 2.0, atol=1e-6)
    with pytest.raises(KeyError, match="input 'adjacency' has no entry for type"):
        hetero(x_dict, {("a", "r", "b"): ei[("a", "r", "b")]}, 2.0)


def test_clear_errors_name_the_layer_and_reason():
    class DataDependent(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = SAGEConv(4, 4)

        def forward(self, x, edge_index):
            if x.sum() > 0:
                return self.conv(x, edge_index)
            return x

    metadata = (["a"], [("a", "r", "a")])
    with pytest.raises(ConversionError, match=r"cannot trace DataDependent.*control flow"):
        to_hetero(DataDependent(), metadata)

    class Mixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = SAGEConv(4, 4)
            self.bilinear = torch.nn.Bilinear(4, 2, 4)

        def forward(self, x, edge_index):
            return self.bilinear(self.conv(x, edge_index), edge_index.float().t())

    with pytest.raises(ConversionError, match=r"layer 'bilinear' \(Bilinear\) combines node-level and edge-level"):
        to_hetero(Mixed(), metadata)

    class NoEdges(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = SAGEConv(4, 4)

        def forward(self, x, edge_index):
            return self.conv(x, x)

    with pytest.raises(ConversionError, match=r"layer 'conv' \(SAGEConv\) receives no edge-level input"):
        to_hetero(NoEdges(), metadata)
    with pytest.raises(ValueError, match="aggr must be"):
        to_hetero(SkipNet(), metadata, aggr="cat")
    with pytest.raises(ValueError, match="names a node type not in metadata"):
        to_hetero(SkipNet(), (["a"], [("a", "r", "b")]))


@pytest.mark.parametrize("conv", [SAGEConv, GATConv])
def test_converted_model_compiles_without_graph_breaks(conv, make_hetero):
    x_dict, ei_dict, metadata = make_hetero(3, 4, channels=5, seed=2)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = conv(5, 8) if conv is SAGEConv else conv(5, 8, add_self_loops=False)
            self.conv2 = conv(8, 4) if conv is SAGEConv else conv(8, 4, add_self_loops=False)

        def forward(self, x, edge_index):
            return self.conv2(self.conv1(x, edge_index).relu(), edge_index)

    torch.manual_seed(0)
    hetero = to_hetero(Net(), metadata)
    expected = hetero(x_dict, ei_dict)
    torch._dynamo.reset()
    compiled = torch.compile(hetero, fullgraph=True, backend="eager")
    out = compiled(x_dict, ei_dict)
    for t in expected:
        assert torch.allclose(out[t], expected[t], atol=1e-5)
    sum(o.sum() for o in out.values()).backward()
