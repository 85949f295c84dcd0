"""Positional encodings and position graphs against dense references."""

import pytest
import torch

from geode_core.data import Data
from geode_core.transforms import (
    AddLaplacianEigenvectorPE,
    AddRandomWalkPE,
    KNNGraph,
    RadiusGraph,
    positional,
)
from geode_core.utils import knn_graph, radius_graph, to_undirected


def ring_with_chord(n=9):
    src = torch.arange(n)
    ei = torch.stack([src, (src + 1) % n])
    ei = torch.cat([ei, torch.tensor([[0], [4]])], 1)
    return to_undirected(ei, num_nodes=n)[0]


def dense_adj(ei, n):
    A = torch.zeros(n, n, dtype=torch.float64)
    A[ei[0], ei[1]] = 1.0
    return A


@pytest.mark.parametrize("dense_limit", [2048, 0])
def test_laplacian_pe_spans_dense_eigenvectors_up_to_sign(monkeypatch, dense_limit):
    monkeypatch.setattr(positional, "DENSE_LIMIT", dense_limit)
    n, k = 9, 3
    ei = ring_with_chord(n)
    d = Data(edge_index=ei, num_nodes=n)
    A = dense_adj(ei, n)
    deg = A.sum(1)
    L = torch.eye(n, dtype=torch.float64) - A / deg.sqrt()[:, None] / deg.sqrt()[None, :]
    values = torch.linalg.eigvalsh(L)
    pe = AddLaplacianEigenvectorPE(k, is_undirected=True)(d).laplacian_eigenvector_pe.double()
    assert pe.shape == (n, k)
    for i in range(k):
        # each column is an eigenvector of L for the (i+1)-th smallest eigenvalue
        assert torch.allclose(L @ pe[:, i], values[i + 1] * pe[:, i], atol=1e-5)
        assert torch.allclose(pe[:, i].norm(), torch.tensor(1.0, dtype=torch.float64), atol=1e-5)
    general = AddLaplacianEigenvectorPE(k, attr_name=None)(Data(x=torch.ones(n, 1), edge_index=ei))
    assert general.x.shape == (n, 1 + k)
    with pytest.raises(ValueError, match="k must be smaller than num_nodes"):
        AddLaplacianEigenvectorPE(9)(d)


@pytest.mark.parametrize("dense_limit", [2048, 0])
def test_random_walk_pe_matches_matrix_powers(monkeypatch, dense_limit):
    monkeypatch.setattr(positional, "DENSE_LIMIT", dense_limit)
    g = torch.Generator().manual_seed(0)
    n = 8
    ei = torch.unique(torch.randint(0, n, (2, 24), generator=g), dim=1)
    w = torch.rand(ei.size(1), generator=g)
    d = Data(edge_index=ei, edge_weight=w, num_nodes=n)
    A = torch.zeros(n, n, dtype=torch.float64)
    A[ei[0], ei[1]] = w.double()
    P = A / A.sum(1, keepdim=True).clamp(min=1e-300)
    pe = AddRandomWalkPE(4)(d).random_walk_pe
    ref = torch.stack([torch.linalg.matrix_power(P, t).diagonal() for t in range(1, 5)], -1)
    assert torch.allclose(pe.double(), ref, atol=1e-5)


def test_knn_and_radius_graph_transforms():
    g = torch.Generator().manual_seed(2)
    pos = torch.rand(12, 2, generator=g)
    batch = torch.tensor([0] * 6 + [1] * 6)
    d = Data(pos=pos, batch=batch, edge_index=torch.tensor([[0], [1]]), edge_attr=torch.ones(1, 2))
    out = KNNGraph(k=3)(d)
    assert torch.equal(out.edge_index, knn_graph(pos, 3, batch)) and "edge_attr" not in out
    und = KNNGraph(k=3, force_undirected=True)(d)
    assert und.is_undirected()
    r = RadiusGraph(0.4)(d)
    assert torch.equal(r.edge_index, radius_graph(pos, 0.4, batch)) and r.num_nodes == 12
