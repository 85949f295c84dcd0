"""Planetoid citation graphs (Cora, CiteSeer, PubMed) from the original raw release."""

from __future__ import annotations

import collections
import os
import pickle
from typing import Any

import numpy as np
import torch

from ..data import Data
from ..transforms import RandomNodeSplit
from ..utils import coalesce, to_undirected
from .dataset import InMemoryDataset
from .download import download_url


class _SparseRows:
    """Stand-in for a pickled scipy CSR matrix: keeps its arrays, needs no scipy."""

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.state = state

    def to_dense(self) -> np.ndarray:
        s = self.state
        shape = s["_shape"]
        if s.get("format", "csr") != "csr":
            raise ValueError(f"Planetoid: expected a CSR matrix in the raw file, got {s.get('format')!r}")
        out = np.zeros(shape, dtype=np.float32)
        indptr, indices, data = s["indptr"], s["indices"], s["data"]
        rows = np.repeat(np.arange(shape[0]), np.diff(indptr))
        out[rows, indices] = data
        return out


_ALLOWED = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("collections", "defaultdict"): collections.defaultdict,
    ("__builtin__", "list"): list,
    ("builtins", "list"): list,
    ("scipy.sparse.csr", "csr_matrix"): _SparseRows,
    ("scipy.sparse._csr", "csr_matrix"): _SparseRows,
}


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        if name == "_reconstruct" and module in ("numpy.core.multiarray", "numpy._core.multiarray"):
            try:
                from numpy._core.multiarray import _reconstruct as real
            except ImportError:  # numpy < 2
                from numpy.core.multiarray import _reconstruct as real
            return real
        raise pickle.UnpicklingError(
            f"Planetoid raw file refers to {module}.{name}, which is not one of the types "
            f"allowed in Planetoid files")


def read_planetoid_pickle(path: str) -> Any:
    with open(path, "rb") as fh:
        return _RestrictedUnpickler(fh, encoding="latin1").load()


class Planetoid(InMemoryDataset):
    """Cora, CiteSeer or PubMed. Raw files go in ``root/<name>/raw``; missing ones are
    downloaded from :attr:`url` (offline, the error names the files and the folder).

    ``split``: ``'public'`` (the published masks: 20 labelled nodes per class for training,
    500 for validation, 1000 for testing), ``'full'`` (the public validation and test
    nodes, every other node for training) or ``'random'`` (``num_train_per_class`` random
    nodes per class, then ``num_val`` and ``num_test`` random nodes; see
    :class:`~geode_core.transforms.RandomNodeSplit`).
    """

    names = ("Cora", "CiteSeer", "PubMed")
    splits = ("public", "full", "random")
    source = "https://github.com/kimiyoung/planetoid/tree/master/data"
    url = "https://github.com/kimiyoung/planetoid/raw/master/data"

    def __init__(self, root, name: str, split: str = "public", num_train_per_class: int = 20,
                 num_val: int = 500, num_test: int = 1000, transform=None, pre_transform=None,
                 force_reload: bool = False, log: bool = True) -> None:
        match = [n for n in self.names if n.lower() == name.lower()]
        if not match:
            raise ValueError(f"Planetoid: name must be one of {self.names}, got {name!r}")
        if split not in self.splits:
            raise ValueError(f"Planetoid: split must be one of {self.splits}, got {split!r}")
        self.name = match[0]
        self.split = split
        super().__init__(os.path.join(root, self.name), transform, pre_transform,
                         log=log, force_reload=force_reload)
        data = self._data_list[0]
        if split == "full":
            data.train_mask = ~(data.val_mask | data.test_mask)
        elif split == "random":
            self._data_list[0] = RandomNodeSplit("random", num_train_per_class=num_train_per_class,
                                                 num_val=num_val, num_test=num_test)(data)

    def download(self) -> None:
        for name in self._missing_files():
            download_url(f"{self.url}/{name}", self.raw_dir, log=self.log)

    @property
    def raw_file_names(self) -> list[str]:
        n = self.name.lower()
        return [f"ind.{n}.{p}" for p in ("x", "tx", "allx", "y", "ty", "ally", "graph", "test.index")]

    @property
    def processed_file_names(self) -> str:
        return "data.pt"

    def process(self) -> None:
        raw = {os.path.basename(p).split(".", 2)[2]: p for p in self.raw_paths}
        x, tx, allx = (read_planetoid_pickle(raw[k]).to_dense() for k in ("x", "tx", "allx"))
        y, ty, ally = (np.asarray(read_planetoid_pickle(raw[k])) for k in ("y", "ty", "ally"))
        graph = read_planetoid_pickle(raw["graph"])
        if x.shape[0] != y.shape[0] or not np.array_equal(allx[: x.shape[0]], x):
            raise ValueError(f"Planetoid({self.name}): ind.*.x must be the first {y.shape[0]} "
                             f"rows of ind.*.allx; given x of shape {x.shape}")
        with open(raw["test.index"]) as fh:
            test_index = np.array([int(line) for line in fh if line.strip()], dtype=np.int64)
        lo, hi = int(test_index.min()), int(test_index.max())
        # Test nodes in the index are not contiguous for CiteSeer: the missing ones are
        # isolated nodes without features; they get zero features and zero labels.
        tx_full = np.zeros((hi - lo + 1, tx.shape[1]), dtype=np.float32)
        ty_full = np.zeros((hi - lo + 1, ty.shape[1]), dtype=ty.dtype)
        tx_full[test_index - lo] = tx
        ty_full[test_index - lo] = ty
        feats = np.concatenate([allx, tx_full])
        labels = np.concatenate([ally, ty_full]).argmax(1)
        num_nodes = feats.shape[0]
        rows, cols = [], []
        for src, dsts in graph.items():
            rows.extend([int(src)] * len(dsts))
            cols.extend(int(d) for d in dsts)
        edge_index = torch.tensor([rows, cols], dtype=torch.long)
        if edge_index.numel() and int(edge_index.max()) >= num_nodes:
            raise ValueError(f"Planetoid({self.name}): graph file names node {int(edge_index.max())} "
                             f"but the features describe only {num_nodes} nodes")
        edge_index, _ = coalesce(to_undirected(edge_index, num_nodes=num_nodes)[0], None, num_nodes)
        mask = lambda idx: torch.zeros(num_nodes, dtype=torch.bool).index_fill_(  # noqa: E731
            0, torch.as_tensor(idx, dtype=torch.long), True)
        n_train = y.shape[0]
        data = Data(x=torch.from_numpy(feats), edge_index=edge_index,
                    y=torch.from_numpy(labels).long(),
                    train_mask=mask(np.arange(n_train)),
                    val_mask=mask(np.arange(n_train, n_train + 500)),
                    test_mask=mask(np.sort(test_index)))
        self.save(self.process_data_list([data]), self.processed_paths[0])

    def __repr__(self) -> str:
        return f"{self.name}()"
