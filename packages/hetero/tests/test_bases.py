"""to_hetero_with_bases against the dense formula of basis-mixed messages."""

import pytest
import torch

from geode_core.nn import GATConv, GraphConv, SAGEConv
from geode_hetero import ConversionError, to_hetero_with_bases


class OneLayer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = GraphConv(6, 3)

    def forward(self, x, edge_index):
        return self.conv(x, edge_index)


def test_one_layer_equals_dense_basis_formula(make_hetero):
    x_dict, ei_dict, metadata = make_hetero(3, 5, seed=7)
    model = to_hetero_with_bases(OneLayer(), metadata, num_bases=2, in_channels={"x": 6})
    out = model(x_dict, ei_dict)
    node_types, edge_types = metadata
    proj = model.projections["x"]
    x = torch.cat([proj[t](x_dict[t]) for t in node_types])
    offsets = dict(zip(node_types, torch.tensor([0] + [x_dict[t].size(0) for t in node_types]).cumsum(0).tolist()))
    basis = model.inner.conv
    expected = torch.zeros(x.size(0), 3)
    for b, conv in enumerate(basis.convs):
        adj = torch.zeros(x.size(0), x.size(0))
        for r, (s, rel, d) in enumerate(edge_types):
            for j, i in ei_dict[(s, rel, d)].t().tolist():
                adj[offsets[d] + i, offsets[s] + j] += basis.comp[r, b]
        expected = expected + conv.lin_rel(adj @ x) + conv.lin_root(x)
    split = expected.split([x_dict[t].size(0) for t in node_types])
    for t, e in zip(node_types, split):
        assert torch.allclose(out[t], e, atol=1e-5)
    sum(o.sum() for o in out.values()).backward()
    assert basis.comp.grad is not None and basis.comp.grad.abs().sum() > 0
    assert all(p.grad is not None for p in model.parameters())


def test_deeper_model_with_attention_and_errors(make_hetero):
    x_dict, ei_dict, metadata = make_hetero(4, 6, channels=5, seed=8)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = SAGEConv(5, 8)
            self.conv2 = GATConv(8, 4, heads=2, add_self_loops=False)

        def forward(self, x, edge_index):
            return self.conv2(self.conv1(x, edge_index).relu(), edge_index)

    model = to_hetero_with_bases(Net(), metadata, num_bases=3)
    out = model(x_dict, ei_dict)
    assert {t: o.shape for t, o in out.items()} == {t: (x.size(0), 8) for t, x in x_dict.items()}
    with pytest.raises(ValueError, match="num_bases must be a positive int"):
        to_hetero_with_bases(Net(), metadata, num_bases=0)
    with pytest.raises(ConversionError, match=r"in_channels names \['h'\]"):
        to_hetero_with_bases(Net(), metadata, num_bases=2, in_channels={"h": 4})
    with pytest.raises(KeyError, match="input 'x' has no entry for types"):
        model({t: x_dict[t] for t in list(x_dict)[:2]}, ei_dict)
