"""networkx and scipy conversions round-trip and agree with the other library's view."""

import networkx as nx
import pytest
import scipy.sparse as sp
import torch

from geode_core.data import Data
from geode_core.utils import (
    from_networkx,
    from_scipy_sparse_matrix,
    to_networkx,
    to_scipy_sparse_matrix,
)


def graph():
    return Data(x=torch.arange(8.0).view(4, 2), edge_index=torch.tensor([[0, 1, 1, 2, 3], [1, 0, 2, 1, 3]]),
                edge_weight=torch.tensor([0.5, 0.5, 2.0, 2.0, 7.0]), title="t")


def test_scipy_round_trip_and_dense_reference():
    d = graph()
    A = to_scipy_sparse_matrix(d.edge_index, d.edge_weight, num_nodes=5)
    assert A.shape == (5, 5)
    dense = torch.zeros(5, 5)
    for (i, j), w in zip(d.edge_index.t().tolist(), d.edge_weight.tolist()):
        dense[i, j] += w
    assert torch.equal(torch.from_numpy(A.toarray()).float(), dense)
    ei, w = from_scipy_sparse_matrix(sp.csr_matrix(dense.numpy()))
    rebuilt = torch.zeros(5, 5)
    rebuilt[ei[0], ei[1]] = w.float()
    assert torch.equal(rebuilt, dense) and ei.dtype == torch.long
    with pytest.raises(ValueError, match=r"edge_attr must have shape \[5\], got \[5, 2\]"):
        to_scipy_sparse_matrix(d.edge_index, torch.zeros(5, 2))


def test_to_networkx_directed_and_undirected():
    d = graph()
    G = to_networkx(d, node_attrs=["x"], edge_attrs=["edge_weight"], graph_attrs=["title"])
    assert isinstance(G, nx.DiGraph) and G.number_of_nodes() == 4
    assert set(G.edges) == {(0, 1), (1, 0), (1, 2), (2, 1), (3, 3)}
    assert G.nodes[2]["x"] == [4.0, 5.0] and G.edges[1, 2]["edge_weight"] == 2.0
    assert G.graph["title"] == "t"
    U = to_networkx(d, to_undirected=True, remove_self_loops=True)
    assert isinstance(U, nx.Graph) and sorted(U.edges) == [(0, 1), (1, 2)]
    L = to_networkx(d, to_undirected="lower")
    assert sorted(tuple(sorted(e)) for e in L.edges) == [(0, 1), (1, 2), (3, 3)]
    M = to_networkx(Data(edge_index=torch.tensor([[0, 0], [1, 1]]), num_nodes=2), to_multi=True)
    assert M.number_of_edges() == 2


def test_from_networkx_undirected_graph():
    G = nx.karate_club_graph()
    d = from_networkx(G)
    assert d.num_nodes == 34 and d.num_edges == 2 * G.number_of_edges()
    assert d.is_undirected()
    assert {tuple(sorted(e)) for e in d.edge_index.t().tolist()} == set(map(tuple, map(sorted, G.edges)))
    assert d.weight.shape == (156,) and d.club[0] == "Mr. Hi"
    assert d.name == "Zachary's Karate Club"


def test_from_networkx_relabels_and_groups():
    G = nx.DiGraph()
    G.add_node("a", f1=1.0, f2=[2.0, 3.0])
    G.add_node("b", f1=4.0, f2=[5.0, 6.0])
    G.add_edge("b", "a", w=0.5, f1=9.0)
    d = from_networkx(G, group_node_attrs="all", group_edge_attrs=["w"])
    assert d.edge_index.tolist() == [[1], [0]]
    assert d.x.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert d.edge_attr.tolist() == [[0.5]] and d.edge_f1.tolist() == [9.0]
    back = to_networkx(from_networkx(G))
    assert set(back.edges) == {(1, 0)}
