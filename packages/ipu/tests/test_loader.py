"""FixedSizeDataLoader: fixed shapes, masks, padding layout, strategies, packing budgets."""

import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from ipu_graphs import random_graph

from geode_ipu import FixedSizeDataLoader, FixedSizeOptions


def signature(batch):
    return tuple((k, tuple(v.shape), v.dtype) for k, v in batch.items() if isinstance(v, torch.Tensor))


def real_graphs(batch):
    return [batch.get_example(i) for i in range(int(batch.graphs_mask.sum()))]


def same_graph(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k, _ in a)


@pytest.mark.parametrize("strategy", ["pad_to_max", "stream_pack"])
def test_one_shape_signature_and_masks_count_real_entries(graphs, strategy):
    options = FixedSizeOptions(num_nodes=30, num_edges=50, num_graphs=4)
    loader = FixedSizeDataLoader(graphs, batch_size=4, fixed_size_options=options,
                                 fixed_size_strategy=strategy)
    batches = list(loader)
    assert len({signature(b) for b in batches}) == 1
    seen = []
    for b in batches:
        assert (b.num_nodes, b.num_edges, b.num_graphs) == (30, 50, 4)
        reals = real_graphs(b)
        assert int(b.nodes_mask.sum()) == sum(g.num_nodes for g in reals)
        assert int(b.edges_mask.sum()) == sum(g.num_edges for g in reals)
        assert int(b.graphs_mask.sum()) == len(reals) <= 3
        seen += reals
    # every graph arrives exactly once and unchanged, in order
    assert len(seen) == len(graphs) and all(same_graph(a, b) for a, b in zip(seen, graphs))


def test_padding_sits_in_padding_graphs_at_the_end(graphs):
    options = FixedSizeOptions(num_nodes=40, num_edges=60, num_graphs=5, node_pad_value=-1,
                               edge_pad_value=-2, graph_pad_value=-3)
    batch = next(iter(FixedSizeDataLoader(graphs[:2], batch_size=5, fixed_size_options=options)))
    real_nodes = int(batch.nodes_mask.sum())
    # masks are prefixes: real entries first
    assert batch.nodes_mask[:real_nodes].all() and not batch.nodes_mask[real_nodes:].any()
    assert torch.equal(batch.graphs_mask, torch.tensor([True, True, False, False, False]))
    # padding nodes belong to padding graphs; padding edges join padding nodes only
    assert not batch.graphs_mask[batch.batch[~batch.nodes_mask]].any()
    pad_edges = batch.edge_index[:, ~batch.edges_mask]
    assert not batch.nodes_mask[pad_edges.reshape(-1)].any()
    real_edges = batch.edge_index[:, batch.edges_mask]
    assert batch.nodes_mask[real_edges.reshape(-1)].all()
    assert (batch.x[~batch.nodes_mask] == -1).all() and (batch.edge_attr[~batch.edges_mask] == -2).all()
    assert torch.equal(batch.y[2:], torch.full((3,), -3))
    assert batch.ptr.tolist()[-3:] == [40, 40, 40]  # trailing padding graphs are empty


def test_batch_size_counts_the_padding_graph(graphs):
    loader = FixedSizeDataLoader(graphs, batch_size=3)
    assert [int(b.graphs_mask.sum()) for b in loader] == [2, 2, 2, 2, 2]
    uneven = FixedSizeDataLoader(graphs, batch_size=4, drop_last=True)
    assert [int(b.graphs_mask.sum()) for b in uneven] == [3, 3, 3]
    with pytest.raises(ValueError, match="drop_last"):
        FixedSizeDataLoader(graphs, batch_size=4, drop_last=True, fixed_size_strategy="stream_pack")


def test_automatic_options_never_overflow(graphs):
    for batch_size in (2, 3, 6):
        loader = FixedSizeDataLoader(graphs, batch_size=batch_size, shuffle=True, seed=1)
        assert loader.fixed_size_options == FixedSizeOptions.from_dataset(graphs, batch_size)
        assert sum(int(b.graphs_mask.sum()) for b in loader) == len(graphs)


def test_num_graphs_follows_batch_size_with_a_warning(graphs):
    with pytest.warns(UserWarning, match="num_graphs=2 differs from batch_size=4"):
        loader = FixedSizeDataLoader(graphs, batch_size=4,
                                     fixed_size_options=FixedSizeOptions(num_nodes=40, num_edges=60))
    assert next(iter(loader)).num_graphs == 4


@pytest.mark.parametrize("kwargs, match", [
    ({"batch_size": 1}, "batch_size"), ({"fixed_size_strategy": "pad"}, "fixed_size_strategy"),
    ({"over_size_strategy": "trim"}, "over_size_strategy"), ({"collate_fn": list}, "collate_fn"),
])
def test_bad_arguments_are_named(graphs, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        FixedSizeDataLoader(graphs, **{"batch_size": 3, **kwargs})


def test_over_size_error_names_budgets(graphs):
    loader = FixedSizeDataLoader(graphs, batch_size=4,
                                 fixed_size_options=FixedSizeOptions(num_nodes=12, num_edges=100, num_graphs=4))
    with pytest.raises(ValueError, match=r"11 real nodes.*from_dataset"):
        list(loader)
    pack = FixedSizeDataLoader(graphs, batch_size=4, fixed_size_strategy="stream_pack",
                               fixed_size_options=FixedSizeOptions(num_nodes=8, num_edges=100, num_graphs=4))
    with pytest.raises(ValueError, match=r"graph 4 .9 nodes"):
        list(pack)


@pytest.mark.parametrize("strategy", ["pad_to_max", "stream_pack"])
def test_skip_drops_what_does_not_fit(graphs, strategy):
    options = FixedSizeOptions(num_nodes=9, num_edges=12, num_graphs=4)
    loader = FixedSizeDataLoader(graphs, batch_size=4, fixed_size_options=options,
                                 fixed_size_strategy=strategy, over_size_strategy="skip")
    kept = [g for b in loader for g in real_graphs(b)]
    assert all(b.num_nodes == 9 and int(b.nodes_mask.sum()) <= 8 for b in loader)
    big = [i for i, g in enumerate(graphs) if g.num_nodes > 8 or g.num_edges > 12]
    assert big and not any(any(same_graph(k, graphs[i]) for k in kept) for i in big)
    if strategy == "stream_pack":  # packing only drops graphs that fit no batch at all
        assert len(kept) == len(graphs) - len(big)


def test_skip_of_a_whole_batch_yields_nothing_for_it():
    g = torch.Generator().manual_seed(3)
    data = [random_graph(20, 5, g), random_graph(3, 2, g)]
    loader = FixedSizeDataLoader(data, batch_size=2, over_size_strategy="skip",
                                 fixed_size_options=FixedSizeOptions(num_nodes=10, num_edges=10))
    batches = list(loader)
    assert len(batches) == 1 and int(batches[0].nodes_mask.sum()) == 3


def test_trim_nodes_reproducible_keeps_one_node_per_graph(graphs):
    options = FixedSizeOptions(num_nodes=10, num_edges=200, num_graphs=4)

    def run(seed):
        return list(FixedSizeDataLoader(graphs, batch_size=4, fixed_size_options=options,
                                        over_size_strategy="trim_nodes", seed=seed))
    a, b, c = run(5), run(5), run(6)
    assert all(signature(x) == signature(a[0]) for x in a)
    assert all(torch.equal(x.x, y.x) and torch.equal(x.edge_index, y.edge_index) for x, y in zip(a, b))
    assert any(not torch.equal(x.x, y.x) for x, y in zip(a, c))
    for batch in a:
        counts = torch.bincount(batch.batch[batch.nodes_mask], minlength=4)[:int(batch.graphs_mask.sum())]
        assert (counts >= 1).all() and int(counts.sum()) <= 9
        for sub in real_graphs(batch):  # kept rows are rows of some original graph
            assert any(all((sub.x[i] == g.x).all(1).any() for i in range(sub.num_nodes)) for g in graphs)


def test_trim_nodes_never_removes_seed_nodes():
    from geode_ipu.trimming import trim_nodes

    g = torch.Generator().manual_seed(0)
    data = random_graph(12, 30, g)
    data.batch_size = 4  # the first 4 nodes are seeds
    for seed in range(5):
        out, = trim_nodes([data], 5, torch.Generator().manual_seed(seed))
        assert out.num_nodes == 5 and torch.equal(out.x[:4], data.x[:4])
    with pytest.raises(ValueError, match="seed nodes"):
        trim_nodes([data], 3, torch.Generator())


def test_trim_edges_and_both():
    g = torch.Generator().manual_seed(1)
    data = [random_graph(4, 30, g), random_graph(3, 25, g)]
    edges_only = FixedSizeDataLoader(data, batch_size=3, over_size_strategy="trim_edges", seed=0,
                                     fixed_size_options=FixedSizeOptions(num_nodes=10, num_edges=20, num_graphs=3))
    batch = next(iter(edges_only))
    assert int(batch.edges_mask.sum()) == 20 and int(batch.nodes_mask.sum()) == 7
    too_many_nodes = FixedSizeOptions(num_nodes=5, num_edges=20, num_graphs=3)
    with pytest.raises(ValueError, match="trim_nodes_and_edges"):
        list(FixedSizeDataLoader(data, batch_size=3, over_size_strategy="trim_edges",
                                 fixed_size_options=too_many_nodes))
    with pytest.raises(ValueError, match="trim_nodes_and_edges"):
        list(FixedSizeDataLoader(data, batch_size=3, over_size_strategy="trim_nodes",
                                 fixed_size_options=FixedSizeOptions(num_nodes=5, num_edges=5, num_graphs=3)))
    both = next(iter(FixedSizeDataLoader(data, batch_size=3, over_size_strategy="trim_nodes_and_edges",
                                         seed=0, fixed_size_options=FixedSizeOptions(5, 5, 3))))
    assert int(both.nodes_mask.sum()) <= 4 and int(both.edges_mask.sum()) <= 5


def test_stream_pack_is_seed_reproducible_and_reports_efficiency(graphs):
    options = FixedSizeOptions(num_nodes=20, num_edges=40, num_graphs=6)

    def loader(seed):
        return FixedSizeDataLoader(graphs, batch_size=6, shuffle=True, seed=seed,
                                   fixed_size_strategy="stream_pack", fixed_size_options=options)

    def contents(batches):
        return [(b.x[b.nodes_mask].sum().item(), int(b.graphs_mask.sum())) for b in batches]
    first = loader(3)
    eff = first.packing_efficiency()  # planning an epoch leaves the shuffle untouched
    a = contents(first)
    assert a == contents(loader(3)) and a != contents(loader(4))
    total_nodes = sum(s.nodes[None] for s in first.graph_sizes())
    assert eff["batches"] == len(a)
    assert eff["nodes"] == pytest.approx(total_nodes / (len(a) * 20))
    assert eff["graphs"] == pytest.approx(len(graphs) / (len(a) * 6))


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 25)), min_size=1, max_size=30),
       num_nodes=st.integers(2, 30), num_edges=st.integers(0, 40), num_graphs=st.integers(2, 6),
       seed=st.integers(0, 3))
def test_packing_never_exceeds_budgets(sizes, num_nodes, num_edges, num_graphs, seed):
    from geode_ipu import StreamPackBatchSampler
    from geode_ipu.sizes import GraphSize

    graph_sizes = [GraphSize({None: n}, {None: e}) for n, e in sizes]
    options = FixedSizeOptions(num_nodes, num_edges, num_graphs)
    order = torch.randperm(len(sizes), generator=torch.Generator().manual_seed(seed)).tolist()
    packs = list(StreamPackBatchSampler(graph_sizes, order, options, "skip"))
    fits = [i for i in order if sizes[i][0] <= num_nodes - 1 and sizes[i][1] <= num_edges]
    assert [i for p in packs for i in p] == fits  # every graph that fits, once, in order
    for p in packs:
        assert len(p) <= num_graphs - 1
        assert sum(sizes[i][0] for i in p) <= num_nodes - 1
        assert sum(sizes[i][1] for i in p) <= num_edges


def test_stream_pack_fills_budgets_better_than_pad_to_max():
    g = torch.Generator().manual_seed(2)
    data = [random_graph(int(n), int(2 * n), g) for n in torch.randint(1, 10, (60,), generator=g)]
    options = FixedSizeOptions.from_dataset(data, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pack = FixedSizeDataLoader(data, batch_size=8, fixed_size_options=options,
                                   fixed_size_strategy="stream_pack").packing_efficiency()
    pad = FixedSizeDataLoader(data, batch_size=8, fixed_size_options=options).packing_efficiency()
    assert pack["nodes"] >= pad["nodes"] and pack["batches"] <= pad["batches"]


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 10)), min_size=1, max_size=5),
       extra_nodes=st.integers(1, 6), extra_edges=st.integers(0, 8), extra_graphs=st.integers(1, 3))
def test_padding_invariants_hold_for_any_fitting_graphs(sizes, extra_nodes, extra_edges, extra_graphs):
    from geode_ipu import pad_data_list

    g = torch.Generator().manual_seed(len(sizes))
    data = [random_graph(n, e if n else 0, g) for n, e in sizes]
    num_nodes = sum(d.num_nodes for d in data) + extra_nodes
    num_edges = sum(d.num_edges for d in data) + extra_edges
    options = FixedSizeOptions(max(num_nodes, 2), num_edges, len(data) + extra_graphs)
    batch = pad_data_list(data, options)
    assert (batch.num_nodes, batch.num_edges, batch.num_graphs) == (options.num_nodes, num_edges,
                                                                    options.num_graphs)
    assert batch.x.shape[0] == options.num_nodes and batch.edge_attr.shape[0] == num_edges
    assert int(batch.nodes_mask.sum()) == sum(d.num_nodes for d in data)
    assert int(batch.graphs_mask.sum()) == len(data)
    assert not batch.nodes_mask[batch.edge_index[:, ~batch.edges_mask].reshape(-1)].any()
    assert all(same_graph(batch.get_example(i), d) for i, d in enumerate(data))
