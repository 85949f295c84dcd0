"""Shared graph fixtures and dense-matrix references for the nn tests."""

import pytest
import torch

N = 6


def sorted_graph():
    """Six nodes, edges sorted by (destination, source), one existing self-loop (2, 2)."""
    ei = torch.tensor([[0, 1, 2, 3, 4, 5, 0, 2, 3],
                       [1, 2, 3, 4, 5, 0, 3, 2, 1]])
    order = torch.argsort(ei[1] * 100 + ei[0])
    return ei[:, order]


def dense_adj(ei, n_src, n_dst, w=None):
    """a[i, j] = total weight of the edges j -> i."""
    a = torch.zeros(n_dst, n_src, dtype=torch.float64)
    for e in range(ei.size(1)):
        a[ei[1, e], ei[0, e]] += 1.0 if w is None else float(w[e])
    return a


def gcn_matrix(a, add_loops=True, fill=1.0):
    """D^-1/2 (A + fill I) D^-1/2 (existing loops keep their weight); no loops when not add_loops."""
    if add_loops:
        diag = a.diagonal().clone()
        a = a - torch.diag(diag) + torch.diag(torch.where(diag > 0, diag, torch.full_like(diag, fill)))
    d = a.sum(1).pow(-0.5)
    d = torch.where(torch.isinf(d), torch.zeros_like(d), d)
    return d[:, None] * a * d[None, :]


def lin(layer, x):
    """A torch.nn.Linear applied by hand."""
    return x @ layer.weight.T + (layer.bias if layer.bias is not None else 0)


@pytest.fixture
def graph():
    torch.manual_seed(0)
    return torch.randn(N, 4, dtype=torch.float64), sorted_graph()


@pytest.fixture
def dense():
    return dense_adj


@pytest.fixture
def gcn_dense():
    return gcn_matrix


@pytest.fixture
def apply_lin():
    return lin
