"""knn_graph / radius_graph against brute-force loops."""

import pytest
import torch

from geode_core.utils import knn, knn_graph, nearest, radius_graph


def brute(pos, batch, loop, pick):
    edges = set()
    for i in range(pos.size(0)):
        cands = [(float((pos[i] - pos[j]).norm()), j) for j in range(pos.size(0))
                 if batch[i] == batch[j] and (loop or i != j)]
        for j in pick(sorted(cands)):
            edges.add((j, i))
    return edges


@pytest.mark.parametrize("loop", [False, True])
def test_knn_graph_brute_force_with_small_chunks(monkeypatch, loop):
    monkeypatch.setattr(nearest, "CHUNK_ENTRIES", 7)
    g = torch.Generator().manual_seed(0)
    pos = torch.rand(23, 3, generator=g, dtype=torch.float64)
    batch = torch.tensor([0] * 10 + [1] * 11 + [2] * 2)
    ei = knn_graph(pos, 4, batch, loop=loop)
    ref = brute(pos, batch, loop, lambda c: [j for _, j in c[:4]])
    assert set(map(tuple, ei.t().tolist())) == ref and ei.size(1) == len(ref)
    rev = knn_graph(pos, 4, batch, loop=loop, flow="target_to_source")
    assert torch.equal(rev, ei.flip(0))


def test_knn_cosine_and_bipartite():
    x = torch.tensor([[1.0, 0.0], [0.0, 3.0], [-1.0, -1.0]])
    y = torch.tensor([[0.0, 1.0], [5.0, 0.1]])
    assert knn(x, y, 1, cosine=True).tolist() == [[0, 1], [1, 0]]
    assert knn(x, y, 1).tolist() == [[0, 1], [0, 0]]
    with pytest.raises(ValueError, match="same number of dimensions"):
        knn(x, torch.zeros(2, 3), 1)


def test_radius_graph_brute_force():
    g = torch.Generator().manual_seed(1)
    pos = torch.rand(30, 2, generator=g, dtype=torch.float64)
    batch = torch.tensor([0] * 15 + [1] * 15)
    ei = radius_graph(pos, 0.3, batch)
    ref = brute(pos, batch, False, lambda c: [j for d, j in c if d < 0.3])
    assert set(map(tuple, ei.t().tolist())) == ref
    capped = radius_graph(pos, 0.3, batch, max_num_neighbors=2, loop=True)
    ref = brute(pos, batch, True, lambda c: [j for d, j in c[:2] if d < 0.3])
    assert set(map(tuple, capped.t().tolist())) == ref
    with pytest.raises(ValueError, match=r"flow must be"):
        radius_graph(pos, 0.3, flow="up")
