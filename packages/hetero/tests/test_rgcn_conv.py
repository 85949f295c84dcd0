"""RGCNConv / FastRGCNConv against the dense relational formula."""

import pytest
import torch

from geode_hetero import FastRGCNConv, RGCNConv


def _graph(num_nodes=9, num_edges=40, num_relations=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=g)
    edge_type = torch.randint(0, num_relations, (num_edges,), generator=g)
    return edge_index, edge_type


def _dense(conv, x, edge_index, edge_type, num_nodes, reduce):
    """``root x_i + sum_r reduce_{j in N_r(i)} x_j W_r + b`` written out per node and relation.

    RGCNConv reduces the features before the transform (``reduce(x_j) W_r``, as PyG does);
    the two orders agree for sum and mean.
    """
    transform_first = x is None or isinstance(conv, FastRGCNConv)
    weights = conv.relation_weights()
    feats = torch.eye(num_nodes) if x is None else x
    out = feats @ conv.root + conv.bias
    for i in range(num_nodes):
        for r in range(conv.num_relations):
            mask = (edge_index[1] == i) & (edge_type == r)
            if mask.any():
                msgs = feats[edge_index[0, mask]]
                if transform_first:
                    msgs = msgs @ weights[r]
                agg = {"mean": msgs.mean(0), "sum": msgs.sum(0), "max": msgs.amax(0),
                       "min": msgs.amin(0)}[reduce]
                out[i] = out[i] + (agg if transform_first else agg @ weights[r])
    return out


@pytest.mark.parametrize("cls", [RGCNConv, FastRGCNConv])
@pytest.mark.parametrize("decomposition", [{}, {"num_bases": 2}, {"num_blocks": 2}])
@pytest.mark.parametrize("aggr", ["mean", "sum", "max"])
def test_rgcn_equals_dense_relational_formula(cls, decomposition, aggr):
    torch.manual_seed(0)
    edge_index, edge_type = _graph()
    conv = cls(6, 4, num_relations=4, aggr=aggr, **decomposition)
    torch.nn.init.normal_(conv.bias)
    x = torch.randn(9, 6, requires_grad=True)
    out = conv(x, edge_index, edge_type)
    assert torch.allclose(out, _dense(conv, x, edge_index, edge_type, 9, aggr), atol=1e-5)
    out.square().sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in conv.parameters())
    assert conv(x, edge_index, edge_type).shape == (9, 4)  # cached structure reused


@pytest.mark.parametrize("cls", [RGCNConv, FastRGCNConv])
def test_rgcn_without_features_learns_one_row_per_node(cls):
    edge_index, edge_type = _graph(seed=1)
    conv = cls(9, 3, num_relations=4, num_bases=3)
    out = conv(None, edge_index, edge_type)
    assert torch.allclose(out, _dense(conv, None, edge_index, edge_type, 9, "mean"), atol=1e-5)


def test_rgcn_gradcheck_and_bipartite():
    edge_index, edge_type = _graph(num_nodes=5, num_edges=12, num_relations=3)
    conv = RGCNConv((5, 2), 3, num_relations=3).double()
    x_src = torch.randn(5, 5, dtype=torch.float64, requires_grad=True)
    x_dst = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: conv((a, b), edge_index, edge_type), (x_src, x_dst))


def test_rgcn_rejects_bad_input():
    edge_index, edge_type = _graph()
    conv = RGCNConv(6, 4, num_relations=4)
    with pytest.raises(ValueError, match=r"edge_type must be \[40\]"):
        conv(torch.randn(9, 6), edge_index, None)
    with pytest.raises(ValueError, match=r"edge_type must lie in \[0, 4\)"):
        conv(torch.randn(9, 6), edge_index, edge_type + 1)
    with pytest.raises(ValueError, match="divisible by num_blocks"):
        RGCNConv(6, 4, num_relations=2, num_blocks=4)
    with pytest.raises(ValueError, match="not both"):
        RGCNConv(6, 4, num_relations=2, num_blocks=2, num_bases=2)
