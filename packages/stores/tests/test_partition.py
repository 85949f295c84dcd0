"""Partition invariants: every node and edge owned exactly once, features split exactly."""

import json

import pytest
import torch

from geode_core.data import Data
from geode_stores.partition import (
    STRATEGIES,
    PartitionBook,
    Partitioner,
    load_partition,
    partition_stats,
)


def _clustered_graph(num_nodes=200, clusters=4, seed=0):
    """Dense clusters joined by few edges: a good partition cuts little."""
    g = torch.Generator().manual_seed(seed)
    size = num_nodes // clusters
    src = torch.randint(num_nodes, (3000,), generator=g)
    same = torch.rand(3000, generator=g) < 0.95
    dst = torch.where(same, (src // size) * size + torch.randint(size, (3000,), generator=g),
                      torch.randint(num_nodes, (3000,), generator=g))
    perm = torch.randperm(num_nodes, generator=g)  # hide the cluster structure in the ids
    return Data(x=torch.randn(num_nodes, 5, generator=g), y=torch.randint(3, (num_nodes,), generator=g),
                edge_index=perm[torch.stack([src, dst])], edge_attr=torch.randn(3000, 2, generator=g))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_partition_invariants(tmp_path, strategy):
    if strategy == "metis":
        pytest.importorskip("pymetis")
    data = _clustered_graph()
    book = Partitioner(data, 3, tmp_path / "p", strategy=strategy).generate_partition()
    seen_nodes, seen_edges = [], []
    for part in range(3):
        p = load_partition(tmp_path / "p", part)
        nodes = p.features.get_tensor(None, "global_id")
        assert torch.equal(nodes, book.nodes_of(part))
        assert torch.equal(book.owner_of(nodes), torch.full_like(nodes, part))
        assert torch.equal(book.local_index(nodes), torch.arange(nodes.numel()))
        assert torch.equal(p.features.get_tensor(None, "x"), data.x[nodes])
        assert torch.equal(p.features.get_tensor(None, "y"), data.y[nodes])
        edges = p.edge_ids.clone()
        assert torch.equal(p.features.get_tensor("edge", "edge_attr"), data.edge_attr[edges])
        row, colptr = p.graph.get_edge_index(None, "csc")
        dst_local = torch.repeat_interleave(torch.arange(nodes.numel()), colptr.diff())
        assert torch.equal(row, data.edge_index[0][edges])
        assert torch.equal(nodes[dst_local], data.edge_index[1][edges])  # edges follow their target
        seen_nodes.append(nodes)
        seen_edges.append(edges)
    assert torch.equal(torch.cat(seen_nodes).sort().values, torch.arange(200))
    assert torch.equal(torch.cat(seen_edges).sort().values, torch.arange(3000))
    meta = json.loads((tmp_path / "p" / "META.json").read_text())
    assert meta["part_sizes"] == book.sizes.tolist() and sum(meta["part_edges"]) == 3000


def test_metis_cuts_fewer_edges_than_random(tmp_path):
    pytest.importorskip("pymetis")
    data = _clustered_graph()
    cuts = {}
    for strategy in ("random", "metis"):
        book = Partitioner(data, 4, tmp_path / strategy, strategy=strategy).generate_partition()
        stats = partition_stats(data.edge_index, book)
        brute = sum(int(book.owner[s] != book.owner[d]) for s, d in data.edge_index.t().tolist())
        assert stats["edge_cut"] == brute
        cuts[strategy] = stats["edge_cut"]
        assert stats["node_balance"] < 1.2
    assert cuts["metis"] < 0.5 * cuts["random"]


def test_partition_book_and_bad_input(tmp_path):
    book = PartitionBook(torch.tensor([1, 0, 1, 1]), 2)
    assert book.local_index(torch.tensor([0, 2, 3, 1])).tolist() == [0, 1, 2, 0]
    with pytest.raises(IndexError, match=r"\[0, 4\)"):
        book.owner_of(torch.tensor([4]))
    with pytest.raises(ValueError, match="partition ids"):
        PartitionBook(torch.tensor([0, 2]), 2)
    data = _clustered_graph(40)
    with pytest.raises(ValueError, match="strategy"):
        Partitioner(data, 2, tmp_path / "p", strategy="spectral")
    with pytest.raises(ValueError, match="num_parts"):
        Partitioner(data, 0, tmp_path / "p")
    Partitioner(data, 2, tmp_path / "p").generate_partition()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        Partitioner(data, 2, tmp_path / "p").generate_partition()
    Partitioner(data, 3, tmp_path / "p", overwrite=True).generate_partition()
    assert load_partition(tmp_path / "p", 2).meta["num_parts"] == 3
    with pytest.raises(IndexError, match="partition in"):
        load_partition(tmp_path / "p", 3)
