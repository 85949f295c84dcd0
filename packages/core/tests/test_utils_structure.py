"""Laplacians, components, segments, edge dropout and negative sampling vs references."""

import networkx as nx
import pytest
import torch

from geode_core import utils as U


def rand_graph(n, m, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, n, (2, m), generator=g)


def dense(ei, w, n):
    out = torch.zeros(n, n, dtype=w.dtype)
    out.index_put_((ei[0], ei[1]), w, accumulate=True)
    return out


@pytest.mark.parametrize("norm", [None, "sym", "rw"])
def test_get_laplacian_matches_dense_formula(norm):
    n = 7
    ei = rand_graph(n, 25, 1)
    w = torch.rand(25, dtype=torch.float64)
    lei, lw = U.get_laplacian(ei, w, norm, num_nodes=n)
    L = dense(lei, lw, n)
    keep = ei[0] != ei[1]
    A = dense(ei[:, keep], w[keep], n)
    deg = A.sum(1)
    eye = torch.eye(n, dtype=torch.float64)
    if norm is None:
        ref = torch.diag(deg) - A
    elif norm == "sym":
        inv = torch.where(deg > 0, deg.pow(-0.5), torch.zeros_like(deg))
        ref = eye - inv[:, None] * A * inv[None, :]
    else:
        inv = torch.where(deg > 0, 1 / deg, torch.zeros_like(deg))
        ref = eye - inv[:, None] * A
    assert torch.allclose(L, ref)
    with pytest.raises(ValueError, match="normalization must be one of"):
        U.get_laplacian(ei, w, "bogus")


@pytest.mark.parametrize("connection", ["weak", "strong"])
def test_connected_components_vs_networkx(connection):
    for seed in range(5):
        n = 30
        ei = rand_graph(n, 35, seed)
        count, comp = U.connected_components(ei, n, connection)
        G = nx.DiGraph()
        G.add_nodes_from(range(n))
        G.add_edges_from(ei.t().tolist())
        ref = list(nx.weakly_connected_components(G) if connection == "weak"
                   else nx.strongly_connected_components(G))
        assert count == len(ref)
        got = {frozenset((comp == c).nonzero().view(-1).tolist()) for c in range(count)}
        assert got == {frozenset(s) for s in ref}
        firsts = [int((comp == c).nonzero()[0]) for c in range(count)]
        assert firsts == sorted(firsts)


def test_weak_components_long_path():
    n = 500
    ei = torch.stack([torch.arange(n - 1, 0, -1), torch.arange(n - 2, -1, -1)])
    count, comp = U.connected_components(ei, n + 3)
    assert count == 4 and comp[:n].eq(0).all()


@pytest.mark.parametrize("reduce", ["sum", "mean", "min", "max"])
def test_segment_matches_loop(reduce):
    src = torch.randn(10, 3)
    ptr = torch.tensor([0, 2, 2, 7, 10])
    out = U.segment(src, ptr, reduce)
    for i in range(4):
        part = src[ptr[i]:ptr[i + 1]]
        ref = torch.zeros(3) if part.numel() == 0 else getattr(part, {"sum": "sum", "mean": "mean", "min": "amin", "max": "amax"}[reduce])(0)
        assert torch.allclose(out[i], ref)
    with pytest.raises(ValueError, match="ptr must be 1-D"):
        U.segment(src, ptr.view(1, -1))


def test_dropout_edge():
    ei = rand_graph(20, 400, 2)
    out, mask = U.dropout_edge(ei, 0.3, generator=torch.Generator().manual_seed(0))
    assert torch.equal(out, ei[:, mask]) and 0.55 < mask.float().mean() < 0.85
    same, m = U.dropout_edge(ei, 0.3, training=False)
    assert torch.equal(same, ei) and m.all()
    und, idx = U.dropout_edge(ei, 0.5, force_undirected=True)
    assert U.is_undirected(und, num_nodes=20) and not U.contains_self_loops(und)
    half = und.size(1) // 2
    assert torch.equal(und[:, :half], ei[:, idx[:half]]) and bool((ei[0, idx] < ei[1, idx]).all())
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\], got 1.5"):
        U.dropout_edge(ei, 1.5)


@pytest.mark.parametrize("method", ["sparse", "dense"])
def test_negative_sampling_methods(method):
    ei = rand_graph(15, 60, 3)
    edges = set(map(tuple, ei.t().tolist()))
    neg = U.negative_sampling(ei, 15, 40, method=method, generator=torch.Generator().manual_seed(1))
    pairs = list(map(tuple, neg.t().tolist()))
    assert len(pairs) == 40 == len(set(pairs))
    assert not set(pairs) & edges and all(i != j for i, j in pairs)
    und = U.negative_sampling(ei, 15, 20, method=method, force_undirected=True)
    up = set(map(tuple, und[:, :20].t().tolist()))
    assert U.is_undirected(und, num_nodes=15) and len(up) == 20
    assert all(i < j and (i, j) not in edges and (j, i) not in edges for i, j in up)
    bip = U.negative_sampling(torch.tensor([[0, 1], [2, 0]]), (2, 3), 10, method=method)
    assert bip.size(1) == 4 and {tuple(p) for p in bip.t().tolist()} == {(0, 0), (0, 1), (1, 1), (1, 2)}


def test_negative_sampling_caps_at_free_pairs():
    full = torch.tensor([[0, 1, 0, 2], [1, 0, 2, 0]])
    neg = U.negative_sampling(full, 3, 100)
    assert {tuple(p) for p in neg.t().tolist()} == {(1, 2), (2, 1)}


def test_sort_edge_index_keeps_duplicates_and_attrs():
    ei = torch.tensor([[2, 0, 2, 1, 0], [1, 1, 0, 0, 1]])
    w = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    out, ow = U.sort_edge_index(ei, w)
    assert out.tolist() == [[0, 0, 1, 2, 2], [1, 1, 0, 0, 1]] and ow.tolist() == [2.0, 5.0, 4.0, 3.0, 1.0]
    col, _ = U.sort_edge_index(ei, sort_by_row=False)
    assert col.tolist() == [[1, 2, 0, 0, 2], [0, 0, 1, 1, 1]]


def test_unbatch_inverts_batch():
    from geode_core.data import Batch, Data

    g = torch.Generator().manual_seed(5)
    graphs = [Data(x=torch.randn(n, 2, generator=g), edge_index=torch.randint(0, n, (2, 3), generator=g))
              for n in (2, 4, 3)]
    batch = Batch.from_data_list(graphs)
    xs = U.unbatch(batch.x, batch.batch)
    eis = U.unbatch_edge_index(batch.edge_index, batch.batch)
    for d, x, ei in zip(graphs, xs, eis):
        assert torch.equal(x, d.x) and torch.equal(ei, d.edge_index)
    with pytest.raises(ValueError, match="batch has 9 entries but src has 2"):
        U.unbatch(torch.zeros(2), batch.batch)
    with pytest.raises(ValueError, match="joins nodes of two different graphs"):
        U.unbatch_edge_index(torch.tensor([[0], [5]]), batch.batch)


def test_erdos_renyi_density():
    ei = U.erdos_renyi_graph(80, 0.2, generator=torch.Generator().manual_seed(0))
    assert U.is_undirected(ei, num_nodes=80) and not U.contains_self_loops(ei)
    assert abs(ei.size(1) / (80 * 79) - 0.2) < 0.03
