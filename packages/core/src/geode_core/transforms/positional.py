"""Positional encodings: Laplacian eigenvectors and random-walk return probabilities."""

from __future__ import annotations

import warnings
from typing import Any

import torch
from torch import Tensor

from ..data import Data
from ..utils import get_laplacian, scatter
from .base import BaseTransform

#: graphs up to this many nodes use dense linear algebra; larger ones sparse
DENSE_LIMIT = 2048


def _store(data: Data, value: Tensor, attr_name: str | None) -> Data:
    if attr_name is not None:
        data[attr_name] = value
        return data
    x = data.get("x")
    data.x = value if x is None else torch.cat([x.view(x.size(0), -1), value.to(x.dtype)], -1)
    return data


class AddLaplacianEigenvectorPE(BaseTransform):
    """Add the eigenvectors of the ``k`` smallest non-trivial eigenvalues of the symmetric
    normalised Laplacian ``I - D^-1/2 A D^-1/2`` as ``attr_name`` ([N, k]; appended to ``x``
    when ``attr_name`` is None). Each vector's sign is random, as eigenvectors have none.

    ``is_undirected`` uses the symmetric eigensolver; otherwise the real parts of the
    general solver's vectors, ordered by real part. Graphs above ``DENSE_LIMIT`` nodes use
    scipy's sparse solvers (``eigsh``/``eigs``, which receive ``**kwargs``).
    """

    def __init__(self, k: int, attr_name: str | None = "laplacian_eigenvector_pe",
                 is_undirected: bool = False, **kwargs: Any) -> None:
        if k < 1:
            raise ValueError(f"AddLaplacianEigenvectorPE: k must be a positive int, got {k}")
        self.k, self.attr_name, self.is_undirected, self.kwargs = k, attr_name, is_undirected, kwargs

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        if self.k >= n:
            raise ValueError(f"AddLaplacianEigenvectorPE: k must be smaller than num_nodes; got "
                             f"k={self.k} for a graph of {n} nodes")
        ei, w = get_laplacian(data.edge_index, data.get("edge_weight"), "sym",
                              torch.float64, num_nodes=n)
        vectors = self._dense(ei, w, n) if n <= DENSE_LIMIT else self._sparse(ei, w, n)
        pe = vectors[:, 1:self.k + 1]
        sign = torch.randint(0, 2, (self.k,), device=pe.device) * 2 - 1
        return _store(data, (pe * sign).to(torch.get_default_dtype()), self.attr_name)

    def _dense(self, ei: Tensor, w: Tensor, n: int) -> Tensor:
        L = torch.zeros(n, n, dtype=torch.float64, device=ei.device)
        L.index_put_((ei[0], ei[1]), w, accumulate=True)
        if self.is_undirected:
            return torch.linalg.eigh(L).eigenvectors
        values, vectors = torch.linalg.eig(L)
        return vectors.real[:, torch.argsort(values.real)]

    def _sparse(self, ei: Tensor, w: Tensor, n: int) -> Tensor:
        try:
            import scipy.sparse as sp
            from scipy.sparse.linalg import eigs, eigsh
        except ImportError as err:
            raise ImportError(f"AddLaplacianEigenvectorPE: graphs of more than {DENSE_LIMIT} "
                              f"nodes need scipy (pip install scipy)") from err
        L = sp.coo_matrix((w.cpu().numpy(), ei.cpu().numpy()), shape=(n, n)).tocsr()
        if self.is_undirected:
            values, vectors = eigsh(L, k=self.k + 1, which="SA", **self.kwargs)
        else:
            values, vectors = eigs(L, k=self.k + 1, which="SR", **self.kwargs)
        order = torch.argsort(torch.from_numpy(values.real.copy()))
        return torch.from_numpy(vectors.real.copy())[:, order].to(ei.device)

    def __repr__(self) -> str:
        return f"AddLaplacianEigenvectorPE(k={self.k})"


class AddRandomWalkPE(BaseTransform):
    """Add ``[(P)_ii, (P^2)_ii, ..., (P^walk_length)_ii]`` per node as ``attr_name``, where
    ``P = D^-1 A`` is the random-walk matrix (rows = sources, ``edge_weight`` respected):
    the probability of returning to the start after each number of steps."""

    def __init__(self, walk_length: int, attr_name: str | None = "random_walk_pe") -> None:
        if walk_length < 1:
            raise ValueError(f"AddRandomWalkPE: walk_length must be a positive int, got "
                             f"{walk_length}")
        self.walk_length, self.attr_name = walk_length, attr_name

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        ei = data.edge_index
        w = data.get("edge_weight")
        w = torch.ones(ei.size(1), device=ei.device) if w is None else w.float()
        deg = scatter(w, ei[0], 0, n, "sum")
        value = w / deg[ei[0]]
        P = torch.sparse_coo_tensor(ei, value, (n, n), check_invariants=True).coalesce()
        steps = []
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
            if n <= DENSE_LIMIT:  # P^t kept dense, advanced by one sparse product per step
                power = P.to_dense()
                for _ in range(self.walk_length):
                    steps.append(power.diagonal().clone())
                    power = torch.sparse.mm(P, power)
            else:
                power = P
                for _ in range(self.walk_length):
                    steps.append(self._sparse_diagonal(power, n))
                    power = torch.sparse.mm(power, P).coalesce()
        return _store(data, torch.stack(steps, dim=-1), self.attr_name)

    @staticmethod
    def _sparse_diagonal(m: Tensor, n: int) -> Tensor:
        idx, val = m.indices(), m.values()
        on_diag = idx[0] == idx[1]
        return torch.zeros(n, dtype=val.dtype, device=val.device).index_add_(
            0, idx[0, on_diag], val[on_diag])

    def __repr__(self) -> str:
        return f"AddRandomWalkPE(walk_length={self.walk_length})"
