"""Graph utilities against brute-force, dense and networkx references."""

import networkx as nx
import pytest
import torch

from geode_core import utils as U


def rand_graph(n=7, m=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, n, (2, m), generator=g)


def edge_set(ei):
    return set(map(tuple, ei.t().tolist()))


def test_degree_matches_loop():
    ei = rand_graph()
    deg = U.degree(ei[1], 9)
    ref = [sum(1 for j in ei[1].tolist() if j == i) for i in range(9)]
    assert deg.tolist() == ref and deg.dtype == torch.float


def test_self_loop_helpers():
    ei = torch.tensor([[0, 1, 1, 2], [0, 2, 1, 0]])
    attr = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert U.contains_self_loops(ei)
    out, a = U.remove_self_loops(ei, attr)
    assert edge_set(out) == {(1, 2), (2, 0)} and a.tolist() == [2.0, 4.0]
    assert not U.contains_self_loops(out)
    out, a = U.add_self_loops(ei, attr, fill_value=9.0, num_nodes=4)
    assert out.size(1) == 8 and a[-4:].tolist() == [9.0] * 4
    out, a = U.add_remaining_self_loops(ei, attr, fill_value=5.0, num_nodes=4)
    assert edge_set(out) == edge_set(ei) | {(2, 2), (3, 3)}
    assert out.size(1) == 6 and a.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 5.0]


def test_coalesce_and_undirected_against_dense():
    ei = rand_graph(6, 30, seed=3)
    w = torch.rand(30)
    out, ow = U.coalesce(ei, w, 6)
    dense = torch.zeros(6, 6)
    for (i, j), v in zip(ei.t().tolist(), w.tolist()):
        dense[i, j] += v
    rebuilt = torch.zeros(6, 6)
    rebuilt[out[0], out[1]] = ow
    assert torch.allclose(dense, rebuilt)
    keys = (out[0] * 6 + out[1]).tolist()
    assert keys == sorted(set(keys))
    und, _ = U.to_undirected(ei, num_nodes=6)
    assert U.is_undirected(und, num_nodes=6)
    assert edge_set(und) == edge_set(ei) | edge_set(ei.flip(0))
    assert not U.is_undirected(torch.tensor([[0], [1]]))


def test_subgraph_and_khop_vs_networkx():
    ei = rand_graph(12, 30, seed=5)
    subset = torch.tensor([0, 2, 3, 7, 9])
    out, _, mask = U.subgraph(subset, ei, relabel_nodes=False, num_nodes=12, return_edge_mask=True)
    assert int(mask.sum()) == out.size(1)
    s = set(subset.tolist())
    assert edge_set(out) == {(i, j) for i, j in edge_set(ei) if i in s and j in s}
    rel, _ = U.subgraph(subset, ei, relabel_nodes=True, num_nodes=12)
    pos = {v: k for k, v in enumerate(subset.tolist())}
    assert edge_set(rel) == {(pos[i], pos[j]) for i, j in edge_set(out)}
    G = nx.DiGraph()
    G.add_nodes_from(range(12))
    G.add_edges_from(ei.t().tolist())
    sub, sei, mapping, emask = U.k_hop_subgraph(4, 2, ei, relabel_nodes=True, num_nodes=12)
    ref = {v for v, d in nx.single_source_shortest_path_length(G.reverse(), 4).items() if d <= 2}
    assert set(sub.tolist()) == ref
    assert sub[mapping].tolist() == [4]
    assert int(emask.sum()) == sei.size(1)


def test_dense_round_trips():
    x = torch.arange(10.0).view(5, 2)
    batch = torch.tensor([0, 0, 1, 1, 1])
    out, mask = U.to_dense_batch(x, batch)
    assert out.shape == (2, 3, 2) and mask.tolist() == [[True, True, False], [True, True, True]]
    assert torch.equal(out[mask], x)
    with pytest.raises(ValueError, match="max_num_nodes"):
        U.to_dense_batch(x, batch, max_num_nodes=2)
    ei = torch.tensor([[0, 1, 2, 3, 4], [1, 0, 3, 4, 2]])
    adj = U.to_dense_adj(ei, batch)
    assert adj.shape == (2, 3, 3) and adj[0, 0, 1] == 1 and adj[1, 0, 1] == 1 and adj.sum() == 5
    back, w = U.dense_to_sparse(adj[1])
    assert edge_set(back) == {(0, 1), (1, 2), (2, 0)} and w.tolist() == [1.0] * 3


def test_masks_and_one_hot():
    idx = torch.tensor([1, 3])
    m = U.index_to_mask(idx, 5)
    assert m.tolist() == [False, True, False, True, False]
    assert U.mask_to_index(m).tolist() == [1, 3]
    oh = U.one_hot(torch.tensor([0, 2]), 3)
    assert oh.tolist() == [[1, 0, 0], [0, 0, 1]]
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        U.one_hot(torch.tensor([3]), 3)


def test_softmax_matches_per_group_softmax():
    src = torch.randn(9, 2)
    index = torch.tensor([0, 0, 1, 2, 2, 2, 4, 4, 0])
    out = U.softmax(src, index, 5)
    for g in index.unique().tolist():
        sel = index == g
        assert torch.allclose(out[sel], torch.softmax(src[sel], dim=0), atol=1e-6)


def test_negative_sampling_avoids_edges():
    ei = rand_graph(10, 30, seed=1)
    neg = U.negative_sampling(ei, 10, 25, generator=torch.Generator().manual_seed(0))
    assert neg.size(1) == 25
    assert not (edge_set(neg) & edge_set(ei))
    assert all(i != j for i, j in edge_set(neg))


def test_bad_edge_index_is_named():
    with pytest.raises(ValueError, match=r"edge_index: expected shape \[2, num_edges\]"):
        U.remove_self_loops(torch.zeros(3, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="int64"):
        U.coalesce(torch.zeros(2, 2))
