"""Conformance suites any FeatureStore / GraphStore backend can run (needs pytest).

Subclass and say how to build (and, for persistent backends, reopen) a store::

    from geode_stores.testing import FeatureStoreConformance

    class TestMyStore(FeatureStoreConformance):
        def create_store(self, path):
            return MyStore(path)

        def reopen_store(self, store, path):   # omit for non-persistent backends
            store.close()
            return MyStore(path)

pytest then runs every check below against the backend, with the in-memory reference
behaviour (plain torch indexing) as the expected result.
"""

from __future__ import annotations

import multiprocessing
from abc import ABC, abstractmethod
from typing import Any

import pytest
import torch

from geode_core.data import EdgeLayout, TensorAttr
from geode_core.data.graph_store import convert_layout

__all__ = ["FeatureStoreConformance", "GraphStoreConformance"]

DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
          torch.int8, torch.uint8, torch.bool]
SHAPES = [(7,), (7, 3), (7, 2, 4), (0, 5)]
INDICES = [2, -1, slice(1, 5), slice(0, 7, 3), [6, 0, 3], torch.tensor([4, 4, 1]),
           torch.tensor([], dtype=torch.long), "mask"]


def _example(shape: tuple, dtype: torch.dtype, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    if dtype == torch.bool:
        return torch.rand(shape, generator=g) > 0.5
    if dtype.is_floating_point:
        return (torch.randn(shape, generator=g) * 10).to(dtype)
    return torch.randint(0, 100, shape, generator=g).to(dtype)


def _close(store: Any) -> None:
    close = getattr(type(store), "close", None)
    if close is not None:
        close(store)


def _read_rows_in_worker(store, rows):
    return store.get_tensor("n", "x", torch.tensor(rows))


class FeatureStoreConformance(ABC):
    """Checks of the FeatureStore contract; subclasses implement :meth:`create_store`."""

    @abstractmethod
    def create_store(self, path):
        """A new, empty, writable store kept under ``path`` (a fresh directory)."""

    def reopen_store(self, store, path):
        """Close ``store`` and open it again from ``path``; None for in-memory backends."""
        return None

    @pytest.fixture
    def store(self, tmp_path):
        store = self.create_store(tmp_path)
        yield store
        _close(store)

    # --- round trips -------------------------------------------------------------------
    @pytest.mark.parametrize("dtype", DTYPES, ids=str)
    def test_dtype_round_trip(self, store, dtype):
        x = _example((7, 3), dtype)
        store.put_tensor(x, group_name="n", attr_name="x", index=None)
        got = store.get_tensor("n", "x")
        assert got.dtype == dtype and torch.equal(got, x)

    @pytest.mark.parametrize("shape", SHAPES, ids=str)
    def test_shape_round_trip(self, store, shape):
        x = _example(shape, torch.float32)
        store.put_tensor(x, "n", "x")
        assert store.get_tensor_size("n", "x") == shape
        assert torch.equal(store.get_tensor("n", "x"), x)

    @pytest.mark.parametrize("index", INDICES, ids=str)
    def test_index_kinds(self, store, index):
        x = _example((7, 3), torch.float32)
        store.put_tensor(x, "n", "x")
        if isinstance(index, str):  # a bool mask
            index = torch.tensor([True, False, False, True, True, False, True])
        expected = x[torch.tensor(index) if isinstance(index, list) else index]
        got = store.get_tensor("n", "x", index)
        assert got.shape == expected.shape and torch.equal(got, expected)
        assert torch.equal(store["n", "x", index], expected)

    def test_put_does_not_alias_input(self, store):
        x = _example((7, 3), torch.float32)
        store.put_tensor(x, "n", "x")
        expected = x.clone()
        x.zero_()
        assert torch.equal(store.get_tensor("n", "x"), expected)

    def test_multi_get(self, store):
        a, b = _example((7, 3), torch.float32), _example((5,), torch.int64, seed=1)
        store.put_tensor(a, "n", "x")
        store.put_tensor(b, "m", "y")
        out = store.multi_get_tensor([TensorAttr("n", "x", torch.tensor([6, 1])),
                                      TensorAttr("m", "y", None), ("n", "x", slice(2, 4))])
        assert torch.equal(out[0], a[[6, 1]]) and torch.equal(out[1], b)
        assert torch.equal(out[2], a[2:4])

    # --- updates -------------------------------------------------------------------------
    def test_row_writes_and_update(self, store):
        x = _example((7, 3), torch.float32)
        store.put_tensor(x, "n", "x")
        store.put_tensor(torch.full((3,), 5.0), "n", "x", 2)
        store.put_tensor(torch.full((2, 3), 6.0), "n", "x", torch.tensor([6, 0]))
        x[2], x[[6, 0]] = 5.0, 6.0
        assert torch.equal(store.get_tensor("n", "x"), x)
        store.update_tensor(torch.full((1, 3), 7.0), "n", "x", [4])
        x[4] = 7.0
        assert torch.equal(store.get_tensor("n", "x"), x)
        new = _example((3, 2), torch.int32, seed=2)
        assert store.update_tensor(new, "n", "x")
        assert store.get_tensor_size("n", "x") == (3, 2)
        assert torch.equal(store.get_tensor("n", "x"), new)

    def test_put_replaces_whole_tensor(self, store):
        store.put_tensor(_example((7, 3), torch.float32), "n", "x")
        new = _example((2, 5), torch.float64, seed=3)
        store.put_tensor(new, "n", "x")
        assert torch.equal(store.get_tensor("n", "x"), new)

    def test_remove(self, store):
        store.put_tensor(_example((7, 3), torch.float32), "n", "x")
        store.put_tensor(_example((7,), torch.int64), "n", "y")
        assert store.remove_tensor("n", "x")
        assert not store.remove_tensor("n", "x")
        assert [a.key for a in store.get_all_tensor_attrs()] == [("n", "y")]
        with pytest.raises(KeyError):
            store.get_tensor("n", "x")

    def test_sizes_and_all_attrs(self, store):
        store.put_tensor(_example((7, 3), torch.float32), "n", "x")
        store.put_tensor(_example((4,), torch.int64), "m", "y")
        assert store.get_tensor_size("n", "x") == (7, 3)
        assert store.get_tensor_size(TensorAttr("m", "y")) == (4,)
        attrs = store.get_all_tensor_attrs()
        assert sorted((a.key for a in attrs), key=str) == [("m", "y"), ("n", "x")]
        assert all(a.index is None for a in attrs)

    def test_hetero_keys(self, store):
        groups = [None, "paper", "author", ("author", "writes", "paper")]
        tensors = {g: _example((3 + i, 2), torch.float32, seed=i) for i, g in enumerate(groups)}
        for g, t in tensors.items():
            store.put_tensor(t, group_name=g, attr_name="x")
        for g, t in tensors.items():
            assert torch.equal(store.get_tensor(group_name=g, attr_name="x"), t)
        assert sorted((a.key for a in store.get_all_tensor_attrs()), key=str) == \
            sorted(((g, "x") for g in groups), key=str)

    # --- errors --------------------------------------------------------------------------
    def test_missing_keys(self, store):
        store.put_tensor(_example((7, 3), torch.float32), "n", "x")
        for args in (("n", "y"), ("ghost", "x"), (None, "x")):
            with pytest.raises(KeyError):
                store.get_tensor(*args)
            with pytest.raises(KeyError):
                store.get_tensor_size(*args)
            assert not store.remove_tensor(*args)
        with pytest.raises(KeyError):
            store.multi_get_tensor([("n", "x", None), ("n", "y", None)])
        with pytest.raises(KeyError):
            store.update_tensor(torch.ones(1, 3), "n", "y")

    def test_bad_input(self, store):
        store.put_tensor(_example((7, 3), torch.float32), "n", "x")
        with pytest.raises(IndexError):
            store.get_tensor("n", "x", 7)
        with pytest.raises(IndexError):
            store.get_tensor("n", "x", torch.tensor([0, 9]))
        with pytest.raises(TypeError):
            store.put_tensor(torch.ones(1, 3, dtype=torch.float64), "n", "x", [0])
        with pytest.raises(ValueError):
            store.put_tensor(torch.ones(2, 3), "n", "x", [0])
        assert torch.equal(store.get_tensor("n", "x"), _example((7, 3), torch.float32))

    # --- persistence and processes ----------------------------------------------------------
    def test_reopen_after_close(self, tmp_path):
        store = self.create_store(tmp_path)
        x, y = _example((7, 3), torch.float32), _example((5,), torch.int64, seed=1)
        store.put_tensor(x, "n", "x")
        store.put_tensor(y, ("a", "to", "b"), "y")
        store.put_tensor(torch.zeros(3), "n", "x", 1)
        x[1] = 0
        reopened = self.reopen_store(store, tmp_path)
        if reopened is None:
            _close(store)
            pytest.skip(f"{type(store).__name__} is not persistent")
        assert torch.equal(reopened.get_tensor("n", "x"), x)
        assert torch.equal(reopened.get_tensor(("a", "to", "b"), "y"), y)
        _close(reopened)

    def test_dataloader_workers_after_fork(self, store):
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("the fork start method is not available on this platform")
        x = _example((40, 4), torch.float32)
        store.put_tensor(x, "n", "x")
        batches = [list(range(i, 40, 5)) for i in range(5)]
        loader = torch.utils.data.DataLoader(
            batches, batch_size=None, num_workers=2, multiprocessing_context="fork",
            collate_fn=lambda rows: _read_rows_in_worker(store, rows))
        for rows, got in zip(batches, loader):
            assert torch.equal(got, x[rows])


def _edge_set(row: torch.Tensor, col: torch.Tensor) -> list[tuple[int, int]]:
    return sorted(zip(row.tolist(), col.tolist()))


class GraphStoreConformance(ABC):
    """Checks of the GraphStore contract; subclasses implement :meth:`create_store`.

    ``layouts`` lists the layouts the backend accepts in ``put_edge_index``.
    """

    layouts = (EdgeLayout.COO, EdgeLayout.CSR, EdgeLayout.CSC)

    @abstractmethod
    def create_store(self, path):
        """A new, empty, writable store kept under ``path`` (a fresh directory)."""

    def reopen_store(self, store, path):
        return None

    @pytest.fixture
    def store(self, tmp_path):
        store = self.create_store(tmp_path)
        yield store
        _close(store)

    @staticmethod
    def _coo(num_src=6, num_dst=5, num_edges=17, seed=0):
        g = torch.Generator().manual_seed(seed)
        return (torch.randint(num_src, (num_edges,), generator=g),
                torch.randint(num_dst, (num_edges,), generator=g))

    def _put(self, store, layout, edge_type=("u", "r", "v"), size=(6, 5), seed=0):
        row, col = self._coo(*size, seed=seed)
        first, second, _ = convert_layout((row, col), EdgeLayout.COO, layout, size)
        store.put_edge_index((first, second), edge_type=edge_type, layout=layout, size=size)

    def test_every_layout_gives_the_same_edges(self, store):
        for i, layout in enumerate(self.layouts):
            self._put(store, layout, edge_type=("u", f"r{i}", "v"), seed=i)
        for i, _ in enumerate(self.layouts):
            et = ("u", f"r{i}", "v")
            row, col = self._coo(seed=i)
            r, c, _ = (d[et] for d in store.coo([et]))
            assert _edge_set(r, c) == _edge_set(row, col)
            rowptr, cols, _ = (d[et] for d in store.csr([et]))
            assert rowptr.numel() == 7
            for u in range(6):
                assert sorted(cols[rowptr[u]:rowptr[u + 1]].tolist()) == \
                    sorted(int(b) for a, b in zip(row, col) if a == u)
            colptr, rows, _ = (d[et] for d in store.csc([et]))
            assert colptr.numel() == 6
            for v in range(5):
                assert sorted(rows[colptr[v]:colptr[v + 1]].tolist()) == \
                    sorted(int(a) for a, b in zip(row, col) if b == v)

    def test_get_returns_what_was_put(self, store):
        layout = self.layouts[0]
        self._put(store, layout)
        row, col = self._coo()
        first, second, _ = convert_layout((row, col), EdgeLayout.COO, layout, (6, 5))
        got = store.get_edge_index(("u", "r", "v"), layout)
        assert torch.equal(got[0], first) and torch.equal(got[1], second)

    def test_all_attrs_remove_and_missing(self, store):
        layout = self.layouts[0]
        self._put(store, layout, edge_type=("u", "r", "v"))
        self._put(store, layout, edge_type=("v", "s", "u"), size=(5, 6), seed=1)
        attrs = store.get_all_edge_attrs()
        assert sorted(a.edge_type for a in attrs) == [("u", "r", "v"), ("v", "s", "u")]
        assert {a.edge_type: a.size for a in attrs}[("v", "s", "u")] == (5, 6)
        assert store.remove_edge_index(("u", "r", "v"), layout)
        assert not store.remove_edge_index(("u", "r", "v"), layout)
        with pytest.raises(KeyError):
            store.get_edge_index(("u", "r", "v"), layout)
        with pytest.raises(KeyError):
            store.csc([("u", "r", "v")])

    def test_reopen_after_close(self, tmp_path):
        store = self.create_store(tmp_path)
        layout = self.layouts[0]
        self._put(store, layout)
        expected = store.get_edge_index(("u", "r", "v"), layout)
        reopened = self.reopen_store(store, tmp_path)
        if reopened is None:
            _close(store)
            pytest.skip(f"{type(store).__name__} is not persistent")
        got = reopened.get_edge_index(("u", "r", "v"), layout)
        assert torch.equal(got[0], expected[0]) and torch.equal(got[1], expected[1])
        _close(reopened)
