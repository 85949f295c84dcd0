"""Synthetic explanation benchmarks: generator structure, planted motifs, labels, masks."""

from __future__ import annotations

import networkx as nx
import pytest
import torch

from geode_core.data import Data
from geode_core.datasets import ExplainerDataset, GraphMotifDataset
from geode_core.datasets.graph_generator import BAGraph, ERGraph, GridGraph
from geode_core.datasets.motif_generator import CustomMotif, CycleMotif, GridMotif, HouseMotif


def undirected_nx(edge_index, num_nodes, keep=None) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(num_nodes))
    pairs = edge_index.t().tolist()
    if keep is not None:
        pairs = [p for p, k in zip(pairs, keep.tolist()) if k]
    g.add_edges_from(pairs)
    return g


def test_ba_graph_counts_and_connectivity():
    torch.manual_seed(0)
    data = BAGraph(num_nodes=50, num_edges=3)()
    g = undirected_nx(data.edge_index, 50)
    assert data.num_nodes == 50
    assert g.number_of_edges() == (50 - 3) * 3 and data.num_edges == 2 * (50 - 3) * 3
    assert nx.is_connected(g) and nx.number_of_selfloops(g) == 0
    assert data.is_undirected()


def test_er_and_grid_graphs():
    torch.manual_seed(0)
    assert ERGraph(10, 1.0)().num_edges == 90 and ERGraph(10, 0.0)().num_edges == 0
    grid = GridGraph(3, 4)()
    assert nx.is_isomorphic(undirected_nx(grid.edge_index, 12), nx.grid_2d_graph(3, 4))
    with pytest.raises(ValueError, match="edge_prob"):
        ERGraph(5, 1.5)
    with pytest.raises(ValueError, match="num_nodes"):
        BAGraph(3, 3)


def test_motif_shapes():
    house = HouseMotif()()
    assert nx.is_isomorphic(undirected_nx(house.edge_index, 5), nx.house_graph())
    assert house.y.tolist() == [3, 3, 2, 2, 1]
    assert nx.is_isomorphic(undirected_nx(CycleMotif(6)().edge_index, 6), nx.cycle_graph(6))
    assert nx.is_isomorphic(undirected_nx(GridMotif()().edge_index, 9), nx.grid_2d_graph(3, 3))
    custom = CustomMotif(Data(edge_index=torch.tensor([[0, 1], [1, 0]])))()
    assert custom.y.tolist() == [1, 1]


def test_ba_shapes_structure():
    torch.manual_seed(1)
    data = ExplainerDataset(BAGraph(300, 5), "house", num_motifs=80)[0]
    assert data.num_nodes == 300 + 80 * 5
    assert data.num_edges == 2 * ((300 - 5) * 5 + 80 * 6 + 80)
    assert data.node_mask.sum() == 400 and not data.node_mask[:300].any()
    assert data.y[:300].eq(0).all()
    assert torch.bincount(data.y).tolist() == [300, 80, 160, 160]
    g = undirected_nx(data.edge_index, data.num_nodes)
    motif_edges = undirected_nx(data.edge_index, data.num_nodes, keep=data.edge_mask)
    for k in range(80):
        nodes = list(range(300 + 5 * k, 305 + 5 * k))
        assert nx.is_isomorphic(motif_edges.subgraph(nodes), nx.house_graph())
        # exactly one edge ties each house to the base graph, through its node 0
        ties = [(u, v) for u in nodes for v in g[u] if v < 300]
        assert len(ties) == 1 and ties[0][0] == nodes[0]
    # edge_mask marks exactly the edges with both ends in one motif
    both_motif = data.node_mask[data.edge_index[0]] & data.node_mask[data.edge_index[1]]
    assert torch.equal(both_motif, data.edge_mask)
    assert nx.is_connected(g)


def test_generator_by_name_and_reproducible():
    torch.manual_seed(3)
    a = ExplainerDataset("BAGraph", "cycle", 4, num_graphs=2, graph_generator_kwargs=dict(
        num_nodes=20, num_edges=2))
    torch.manual_seed(3)
    b = ExplainerDataset("BAGraph", "cycle", 4, num_graphs=2, graph_generator_kwargs=dict(
        num_nodes=20, num_edges=2))
    assert len(a) == 2 and torch.equal(a[1].edge_index, b[1].edge_index)
    assert a[0].num_nodes == 20 + 4 * 5
    six = ExplainerDataset(BAGraph(10, 1), "cycle", 2, motif_generator_kwargs=dict(num_nodes=6))[0]
    assert six.num_nodes == 10 + 2 * 6
    with pytest.raises(ValueError, match="graph_generator"):
        ExplainerDataset("nope", "house", 1)
    with pytest.raises(ValueError, match="motif_generator"):
        ExplainerDataset(BAGraph(10, 1), "triangle", 1)


def test_graph_motif_dataset_labels_match_motif():
    torch.manual_seed(0)
    ds = GraphMotifDataset(BAGraph(20, 1), ["house", "cycle"], num_graphs=6)
    assert [int(d.y) for d in ds] == [0, 1, 0, 1, 0, 1]
    for d in ds:
        assert d.num_nodes == 25 and d.node_mask.sum() == 5
        motif = undirected_nx(d.edge_index, 25, keep=d.edge_mask).subgraph(range(20, 25))
        expected = nx.house_graph() if int(d.y) == 0 else nx.cycle_graph(5)
        assert nx.is_isomorphic(motif, expected)
