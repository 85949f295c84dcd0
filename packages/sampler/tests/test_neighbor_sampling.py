from collections import Counter

import pytest
import torch
from scipy.stats import chisquare

from geode_sampler import NeighborSampler, sample_neighbors, to_csc


def random_graph(num_nodes, num_edges, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, num_nodes, (2, num_edges), generator=g)


def run(ei, n, seeds, fanout, **kw):
    g = to_csc(ei, n)
    gen = kw.pop("generator", torch.Generator().manual_seed(0))
    w = kw.pop("weight", None)
    if w is not None:
        w = w[g.e_id]
    return g, sample_neighbors(g.rowptr, g.col, seeds, fanout, generator=gen, weight=w, e_id=g.e_id, **kw)


def check_edges(ei, out):
    """Every sampled edge exists, and e_id names exactly that edge."""
    edges = set(zip(ei[0].tolist(), ei[1].tolist()))
    src = out.n_id[out.edge_index[0]]
    dst = out.n_id[out.edge_index[1]]
    for s, d in zip(src.tolist(), dst.tolist()):
        assert (s, d) in edges
    assert torch.equal(ei[0, out.e_id], src)
    assert torch.equal(ei[1, out.e_id], dst)


def in_degree(ei, n):
    return torch.bincount(ei[1], minlength=n)


def hop_targets(out):
    """(local target ids, hop index) per sampled edge."""
    hops = torch.repeat_interleave(torch.arange(len(out.num_sampled_edges)), torch.tensor(out.num_sampled_edges))
    return out.edge_index[1], hops


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("disjoint", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_edges_exist_and_fanout(graph, replace, disjoint, weighted):
    ei, n = graph
    w = torch.rand(ei.size(1), generator=torch.Generator().manual_seed(3)) if weighted else None
    seeds = torch.tensor([0, 5, 41, 7, 12])
    fanout = [3, 2]
    _, out = run(ei, n, seeds, fanout, replace=replace, disjoint=disjoint, weight=w)
    check_edges(ei, out)
    assert out.n_id[: len(seeds)].tolist() == seeds.tolist()
    assert sum(out.num_sampled_nodes) == out.n_id.numel()
    assert sum(out.num_sampled_edges) == out.e_id.numel() == out.edge_index.size(1)
    deg = in_degree(ei, n)
    # Frontier of hop h: nodes first introduced in hop h (hop 0: the seeds).
    bounds = torch.tensor([0, *out.num_sampled_nodes]).cumsum(0)
    tgt, hop = hop_targets(out)
    for h, k in enumerate(fanout):
        frontier = torch.arange(int(bounds[h]), int(bounds[h + 1]))
        counts = torch.bincount(tgt[hop == h], minlength=out.n_id.numel())[frontier]
        d = deg[out.n_id[frontier]]
        expected = torch.where(d > 0, k, 0) if replace else torch.minimum(d, torch.tensor(k))
        assert torch.equal(counts, expected), (h, counts, expected)
    if not disjoint:
        assert out.n_id.unique().numel() == out.n_id.numel()
        assert out.batch is None


def test_no_duplicates_without_replacement():
    ei = random_graph(30, 600, seed=4)
    ei = torch.unique(ei, dim=1)  # simple graph: distinct neighbours <=> distinct edges
    _, out = run(ei, 30, torch.arange(30), [5])
    pairs = Counter(zip(out.edge_index[0].tolist(), out.edge_index[1].tolist()))
    assert max(pairs.values()) == 1
    assert out.e_id.unique().numel() == out.e_id.numel()


def test_all_neighbours():
    ei = random_graph(30, 200, seed=5)
    _, out = run(ei, 35, torch.tensor([3, 31, 8]), [-1])
    for s_local, s in enumerate([3, 31, 8]):
        mask = out.edge_index[1] == s_local
        got = sorted(out.e_id[mask].tolist())
        assert got == sorted((ei[1] == s).nonzero().view(-1).tolist())


def test_two_hop_all_is_exact_khop():
    ei = random_graph(25, 60, seed=6)
    _, out = run(ei, 25, torch.tensor([0]), [-1, -1])
    hop1 = set(ei[0, ei[1] == 0].tolist())
    hop2_edges = {e for e in range(ei.size(1)) if int(ei[1, e]) in hop1 and int(ei[1, e]) != 0}
    got = set(out.e_id[out.num_sampled_edges[0]:].tolist())
    # hop-2 expands only nodes new in hop 1 (the seed itself is not re-expanded)
    assert got == hop2_edges
    assert set(out.e_id[: out.num_sampled_edges[0]].tolist()) == set((ei[1] == 0).nonzero().view(-1).tolist())


def test_disjoint_trees_are_disjoint(graph):
    ei, n = graph
    seeds = torch.tensor([0, 0, 3, 7])
    _, out = run(ei, n, seeds, [3, 3], disjoint=True)
    check_edges(ei, out)
    b = out.batch
    assert b.numel() == out.n_id.numel()
    assert b[: len(seeds)].tolist() == [0, 1, 2, 3]
    assert torch.equal(b[out.edge_index[0]], b[out.edge_index[1]])  # no edge crosses trees
    # within a tree each global node appears once
    key = b * n + out.n_id
    assert key.unique().numel() == key.numel()


def test_reproducible(graph):
    ei, n = graph
    a = run(ei, n, torch.arange(10), [4, 3], generator=torch.Generator().manual_seed(7))[1]
    b = run(ei, n, torch.arange(10), [4, 3], generator=torch.Generator().manual_seed(7))[1]
    c = run(ei, n, torch.arange(10), [4, 3], generator=torch.Generator().manual_seed(8))[1]
    assert torch.equal(a.n_id, b.n_id) and torch.equal(a.e_id, b.e_id)
    assert torch.equal(a.edge_index, b.edge_index)
    assert not torch.equal(a.e_id, c.e_id)


def test_empty_and_isolated():
    ei = torch.tensor([[0, 1], [1, 0]])
    _, out = run(ei, 4, torch.tensor([2, 3]), [5, 5])
    assert out.n_id.tolist() == [2, 3] and out.edge_index.shape == (2, 0)
    assert out.num_sampled_nodes == [2, 0, 0] and out.num_sampled_edges == [0, 0]
    _, out = run(ei, 4, torch.empty(0, dtype=torch.long), [2])
    assert out.n_id.numel() == 0 and out.e_id.numel() == 0
    _, out = run(torch.empty(2, 0, dtype=torch.long), 3, torch.tensor([1]), [2], replace=True)
    assert out.n_id.tolist() == [1]
    _, out = run(ei, 4, torch.tensor([0]), [0, 3])
    assert out.n_id.tolist() == [0] and out.num_sampled_edges == [0, 0]


def star(d):
    """Node 0 with d incoming neighbours 1..d."""
    return torch.stack([torch.arange(1, d + 1), torch.zeros(d, dtype=torch.long)])


def test_uniform_frequencies_chisquare():
    d, k, reps = 10, 3, 4000
    ei = star(d)
    gen = torch.Generator().manual_seed(123)
    seeds = torch.zeros(reps, dtype=torch.long)
    _, out = run(ei, d + 1, seeds, [k], disjoint=True, generator=gen)
    counts = torch.bincount(out.e_id, minlength=d).numpy()
    assert counts.sum() == reps * k
    assert chisquare(counts).pvalue > 0.001


def test_uniform_with_replacement_chisquare():
    d, k, reps = 7, 5, 3000
    gen = torch.Generator().manual_seed(5)
    _, out = run(star(d), d + 1, torch.tensor([0]), [k * reps], replace=True, generator=gen)
    counts = torch.bincount(out.e_id, minlength=d).numpy()
    assert chisquare(counts).pvalue > 0.001


def test_weighted_with_replacement_chisquare():
    d, draws = 5, 20000
    w = torch.tensor([1.0, 2.0, 3.0, 0.0, 4.0])
    gen = torch.Generator().manual_seed(11)
    _, out = run(star(d), d + 1, torch.tensor([0]), [draws], replace=True, weight=w, generator=gen)
    counts = torch.bincount(out.e_id, minlength=d).numpy()
    assert counts[3] == 0
    nz = [0, 1, 2, 4]
    expected = (w[nz] / w[nz].sum() * draws).numpy()
    assert chisquare(counts[nz], expected).pvalue > 0.001


def test_weighted_single_draw_without_replacement_chisquare():
    # k = 1 without replacement: P(edge i) = w_i / sum(w) exactly.
    d, reps = 4, 20000
    w = torch.tensor([1.0, 2.0, 3.0, 4.0])
    gen = torch.Generator().manual_seed(2)
    _, out = run(star(d), d + 1, torch.zeros(reps, dtype=torch.long), [1], disjoint=True, weight=w, generator=gen)
    counts = torch.bincount(out.e_id, minlength=d).numpy()
    assert chisquare(counts, (w / w.sum() * reps).numpy()).pvalue > 0.001


def test_weighted_pair_without_replacement_chisquare():
    # k = 2 of 3: P({i, j}) = p_i p_j / (1 - p_i) + p_j p_i / (1 - p_j) (successive draws).
    w = torch.tensor([1.0, 2.0, 5.0])
    p = (w / w.sum()).tolist()
    reps = 20000
    gen = torch.Generator().manual_seed(9)
    _, out = run(star(3), 4, torch.zeros(reps, dtype=torch.long), [2], disjoint=True, weight=w, generator=gen)
    assert out.e_id.numel() == 2 * reps
    # edges come grouped per tree: pairs are consecutive after sorting by target
    order = torch.argsort(out.edge_index[1], stable=True)
    pairs = out.e_id[order].view(-1, 2).sort(dim=1).values
    missing = (3 - pairs.sum(1)).tolist()  # the excluded edge
    counts = [missing.count(m) for m in range(3)]
    prob_pair = {}
    for i in range(3):
        for j in range(3):
            if i != j:
                prob_pair[3 - i - j] = prob_pair.get(3 - i - j, 0) + p[i] * p[j] / (1 - p[i])
    expected = [prob_pair[m] * reps for m in range(3)]
    assert chisquare(counts, expected).pvalue > 0.001


def test_zero_weight_never_sampled_without_replacement():
    w = torch.tensor([0.0, 1.0, 0.0, 1.0])
    _, out = run(star(4), 5, torch.tensor([0]), [4], weight=w)
    assert sorted(out.e_id.tolist()) == [1, 3]


def test_temporal_never_samples_future():
    ei = random_graph(40, 400, seed=12)
    t = torch.randint(0, 100, (40,), generator=torch.Generator().manual_seed(1))
    g = to_csc(ei, 40)
    seeds = torch.arange(0, 40, 3)
    out = sample_neighbors(g.rowptr, g.col, seeds, [4, 3], e_id=g.e_id, disjoint=True, node_time=t,
                           generator=torch.Generator().manual_seed(0))
    check_edges(ei, out)
    assert bool((t[out.n_id] <= t[seeds][out.batch]).all())
    # fan-out is respected over the neighbours that are not in the future
    first = out.edge_index[1][: out.num_sampled_edges[0]]
    for i, s in enumerate(seeds.tolist()):
        valid = int(((ei[1] == s) & (t[ei[0]] <= t[s])).sum())
        assert int((first == i).sum()) == min(4, valid)
    with pytest.raises(ValueError, match="disjoint"):
        sample_neighbors(g.rowptr, g.col, seeds, [2], node_time=t)


def test_input_errors(graph):
    ei, n = graph
    g = to_csc(ei, n)
    with pytest.raises(ValueError, match="seeds"):
        sample_neighbors(g.rowptr, g.col, torch.tensor([n]), [2])
    with pytest.raises(ValueError, match="num_neighbors"):
        sample_neighbors(g.rowptr, g.col, torch.tensor([0]), [-2])
    with pytest.raises(ValueError, match="weight"):
        sample_neighbors(g.rowptr, g.col, torch.tensor([0]), [2], weight=torch.ones(3))


def test_sampler_class_and_registry(graph):
    ei, n = graph
    s = NeighborSampler(ei, [3, 2], num_nodes=n)
    out = s.sample(torch.tensor([0, 1]), generator=torch.Generator().manual_seed(0))
    check_edges(ei, out)
    from geode_core.plugins import get_registry

    assert get_registry().load("sampler", "neighbor") is NeighborSampler
    import geode_sampler

    assert "NeighborSampler" in geode_sampler.__all__


def test_sampler_weight_in_input_order():
    w = torch.tensor([0.0, 1.0, 0.0, 1.0])
    s = NeighborSampler(star(4), [4], weight=w)
    assert sorted(s.sample(torch.tensor([0])).e_id.tolist()) == [1, 3]


def test_induced_subgraph(graph):
    ei, n = graph
    s = NeighborSampler(ei, [2, 2], num_nodes=n, subgraph_type="induced")
    out = s.sample(torch.tensor([0, 4]), generator=torch.Generator().manual_seed(1))
    check_edges(ei, out)
    nodes = set(out.n_id.tolist())
    expected = {e for e in range(ei.size(1)) if int(ei[0, e]) in nodes and int(ei[1, e]) in nodes}
    assert set(out.e_id.tolist()) == expected and out.e_id.numel() == len(expected)


def test_bidirectional_subgraph(graph):
    ei, n = graph
    s = NeighborSampler(ei, [2, 2], num_nodes=n, subgraph_type="bidirectional")
    out = s.sample(torch.tensor([0, 4]), generator=torch.Generator().manual_seed(1))
    pairs = set(zip(out.edge_index[0].tolist(), out.edge_index[1].tolist()))
    assert all((b, a) in pairs for a, b in pairs)
    assert len(pairs) == out.edge_index.size(1)
    with pytest.raises(ValueError, match="subgraph_type"):
        NeighborSampler(ei, [2], subgraph_type="nope")


def test_duplicate_seeds_keep_their_slots(graph):
    ei, n = graph
    seeds = torch.tensor([3, 3, 5])
    _, out = run(ei, n, seeds, [2, 2])
    check_edges(ei, out)
    assert out.n_id[:3].tolist() == [3, 3, 5]
    assert out.n_id[3:].unique().numel() == out.n_id.numel() - 3
    assert not bool(set(out.n_id[3:].tolist()) & {3, 5})
    assert int((out.edge_index[1] == 1).sum()) == 0  # the repeat is not expanded separately


def test_hop_edges_target_that_hops_frontier(graph):
    ei, n = graph
    _, out = run(ei, n, torch.tensor([0, 1, 2]), [3, 3, 3])
    bounds = torch.tensor([0, *out.num_sampled_nodes]).cumsum(0).tolist()
    tgt, hop = hop_targets(out)
    for h in range(3):
        t = tgt[hop == h]
        assert bool(((t >= bounds[h]) & (t < bounds[h + 1])).all())
        src = out.edge_index[0][hop == h]
        assert bool((src < bounds[h + 2]).all())


def test_temporal_with_replacement_draws_k_valid():
    ei = random_graph(30, 300, seed=13)
    t = torch.randint(0, 100, (30,), generator=torch.Generator().manual_seed(4))
    g = to_csc(ei, 30)
    seeds = torch.arange(30)
    out = sample_neighbors(g.rowptr, g.col, seeds, [4], e_id=g.e_id, disjoint=True, node_time=t, replace=True,
                           generator=torch.Generator().manual_seed(0))
    check_edges(ei, out)
    assert bool((t[out.n_id] <= t[seeds][out.batch]).all())
    counts = torch.bincount(out.edge_index[1], minlength=out.n_id.numel())[:30]
    valid = torch.tensor([int(((ei[1] == s) & (t[ei[0]] <= t[s])).sum()) for s in range(30)])
    assert torch.equal(counts, torch.where(valid > 0, 4, 0))
