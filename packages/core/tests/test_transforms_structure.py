"""Structure transforms against dense formulas, networkx and brute-force loops."""

import networkx as nx
import pytest
import torch

from geode_core.data import Data
from geode_core.nn import GCNConv
from geode_core.ops import Adjacency
from geode_core.transforms import (
    AddRemainingSelfLoops,
    GCNNorm,
    LargestConnectedComponents,
    Pad,
    RemoveIsolatedNodes,
    ToDevice,
    ToSparseTensor,
    VirtualNode,
)


def graph():
    return Data(x=torch.arange(12.0).view(6, 2), edge_index=torch.tensor([[0, 1, 1, 2, 4], [1, 0, 2, 2, 4]]),
                edge_weight=torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]), y=torch.arange(6))


def dense(ei, w, n):
    out = torch.zeros(n, n, dtype=w.dtype)
    out.index_put_((ei[0], ei[1]), w, accumulate=True)
    return out


def test_add_remaining_self_loops_keeps_existing_weights():
    out = AddRemainingSelfLoops(fill_value=9.0)(graph())
    A = dense(out.edge_index, out.edge_weight, 6)
    assert A.diagonal().tolist() == [9.0, 9.0, 4.0, 9.0, 5.0, 9.0]
    assert out.edge_index.size(1) == 5 + 4


def test_gcn_norm_matches_dense_formula():
    d = graph()
    out = GCNNorm()(d)
    A = dense(d.edge_index, d.edge_weight, 6)
    A = A + torch.diag((A.diagonal() == 0).float())
    deg = A.sum(0)  # degree over targets
    inv = deg.pow(-0.5)
    ref = inv[:, None] * A * inv[None, :]
    assert torch.allclose(dense(out.edge_index, out.edge_weight, 6), ref)
    plain = GCNNorm(add_self_loops=False)(Data(edge_index=d.edge_index, num_nodes=6))
    assert plain.edge_index.size(1) == 5 and "edge_weight" in plain


def test_remove_isolated_nodes():
    out = RemoveIsolatedNodes()(graph())
    assert out.num_nodes == 4 and out.y.tolist() == [0, 1, 2, 4]
    assert out.edge_index.tolist() == [[0, 1, 1, 2, 3], [1, 0, 2, 2, 3]]
    assert out.edge_weight.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]


@pytest.mark.parametrize("connection", ["weak", "strong"])
def test_largest_connected_components_vs_networkx(connection):
    g = torch.Generator().manual_seed(4)
    n = 40
    ei = torch.randint(0, n, (2, 45), generator=g)
    d = Data(x=torch.arange(n, dtype=torch.float).view(-1, 1), edge_index=ei)
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(ei.t().tolist())
    comps = nx.weakly_connected_components(G) if connection == "weak" else nx.strongly_connected_components(G)
    comps = sorted(comps, key=lambda c: (-len(c), min(c)))
    for k in (1, 2):
        out = LargestConnectedComponents(k, connection)(d)
        keep = sorted(set().union(*comps[:k]))
        assert out.x.view(-1).long().tolist() == keep
        ref = {(keep.index(i), keep.index(j)) for i, j in G.subgraph(keep).edges}
        assert set(map(tuple, out.edge_index.t().tolist())) == ref
    with pytest.raises(ValueError, match="connection must be"):
        LargestConnectedComponents(connection="medium")


def test_virtual_node():
    d = graph()
    d.edge_attr = torch.ones(5, 3)
    out = VirtualNode()(d)
    assert out.num_nodes == 7 and out.x[-1].tolist() == [0.0, 0.0] and out.y[-1] == 0
    new = out.edge_index[:, 5:]
    assert set(map(tuple, new.t().tolist())) == {(i, 6) for i in range(6)} | {(6, i) for i in range(6)}
    assert out.edge_type.tolist() == [0] * 5 + [1] * 6 + [2] * 6
    assert out.edge_weight[5:].eq(1).all() and out.edge_attr[5:].eq(0).all()
    assert out.validate()


def test_to_device_and_sparse_tensor():
    d = graph()
    assert ToDevice("cpu")(d).x.device.type == "cpu"
    out = ToSparseTensor()(d)
    assert "edge_index" not in out and "edge_weight" not in out and out.num_nodes == 6
    assert isinstance(out.adj_t, Adjacency) and out.num_edges == 5
    ref = dense(d.edge_index, d.edge_weight, 6).t()  # adj_t: rows are targets
    rebuilt = dense(torch.stack([out.adj_t.row, out.adj_t.col]), out.adj_t.value, 6)
    assert torch.equal(rebuilt, ref)
    conv = GCNConv(2, 3)
    assert torch.allclose(conv(d.x, out.adj_t), conv(d.x, d.edge_index, d.edge_weight), atol=1e-6)
    kept = ToSparseTensor(attr=None, remove_edge_index=False)(d)
    assert "edge_index" in kept and kept.adj_t.value is None


def test_pad_fixed_sizes_and_errors():
    d = graph()
    d.edge_attr = torch.arange(10.0).view(5, 2)
    d.train_mask = torch.ones(6, dtype=torch.bool)
    out = Pad(8, 9, node_pad_value=-1.0, edge_pad_value={"edge_attr": 7.0}, add_pad_mask=True)(d)
    assert out.num_nodes == 8 and out.num_edges == 9 and out.validate()
    assert out.x[6:].eq(-1).all() and torch.equal(out.x[:6], d.x)
    assert out.edge_attr[5:].eq(7).all() and out.edge_weight[5:].eq(0).all()
    assert out.edge_index[:, 5:].eq(7).all() and not out.train_mask[6:].any()
    assert out.pad_node_mask.tolist() == [True] * 6 + [False] * 2
    assert out.pad_edge_mask.sum() == 5
    with pytest.raises(ValueError, match="the graph has 6 nodes but max_num_nodes=5"):
        Pad(5)(d)
    with pytest.raises(ValueError, match="the graph has 5 edges but max_num_edges=4"):
        Pad(10, 4)(d)
    with pytest.raises(ValueError, match="padding edges need a padding node"):
        Pad(6, 8)(d)


def test_sparse_tensor_follows_the_graph_through_apply():
    out = ToSparseTensor()(graph())
    doubled = out.clone().apply(lambda t: t * 2 if t.is_floating_point() else t)
    assert torch.equal(doubled.adj_t.value, out.adj_t.value * 2)
    assert torch.equal(doubled.adj_t.rowptr, out.adj_t.rowptr) and doubled.adj_t is not out.adj_t
