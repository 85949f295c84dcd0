"""``RocksDBFeatureStore``: tensors in a RocksDB database through ``rocksdict``.

Each ``(group, attr)`` tensor lives in its own column family, as chunks of ``chunk_rows``
consecutive rows keyed by the big-endian chunk number; the default column family holds
one JSON metadata record per tensor (dtype, shape, chunk size, column family). A read of
arbitrary rows fetches the distinct chunks they fall in with one batched multi-get.

Writes of whole tensors (``put_tensor`` without index, :meth:`ingest`) build sorted SST
files and ingest them into a fresh column family, then publish it by writing the metadata
record with a synced write: a writer killed before that leaves the previous tensor (the
orphan column family is dropped on the next writable open). Row writes rewrite the
affected chunks in one atomic write batch.

Several processes can read at once with ``read_only=True`` (DataLoader workers reopen the
database read-only on their first access after a fork).
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from geode_core.data import FeatureStore, TensorAttr
from geode_core.data.feature_store import check_row_write

from ._deps import require
from ._keys import decode_key, dtype_from_name, dtype_name, encode_key

__all__ = ["RocksDBFeatureStore"]

META_PREFIX = b"meta/"

#: Handles inherited through fork. Destroying one in the child would wait for the parent's
#: background threads, which do not exist there, and hang; they are kept alive instead
#: (multiprocessing children leave through os._exit, which runs no destructors).
_INHERITED_HANDLES: list = []


def _chunk_key(i: int) -> bytes:
    return int(i).to_bytes(8, "big")


def _rows_as_bytes(tensor: Tensor) -> np.ndarray:
    """``[rows, row_bytes]`` uint8 view of a tensor's rows."""
    flat = tensor.detach().cpu().contiguous().reshape(tensor.size(0), -1)
    return flat.view(torch.uint8).numpy() if flat.numel() else \
        np.zeros((tensor.size(0), 0), dtype=np.uint8)


def _rechunk(chunks: Iterable[Tensor], chunk_rows: int) -> Iterator[Tensor]:
    """Regroup a stream of row blocks into blocks of exactly ``chunk_rows`` (last: fewer)."""
    pending: list[Tensor] = []
    count = 0
    for chunk in chunks:
        while chunk.size(0):
            take = min(chunk_rows - count, chunk.size(0))
            pending.append(chunk[:take])
            chunk, count = chunk[take:], count + take
            if count == chunk_rows:
                yield torch.cat(pending)
                pending, count = [], 0
    if pending:
        yield torch.cat(pending)


class RocksDBFeatureStore(FeatureStore):
    """Feature store in the RocksDB database at ``path``.

    Args:
        path: database directory (created unless ``read_only``).
        read_only: open without taking the writer lock; any number of readers may do so.
        chunk_rows: rows per stored value for tensors written from now on.
    """

    def __init__(self, path: str | os.PathLike, read_only: bool = False,
                 chunk_rows: int = 64) -> None:
        if chunk_rows < 1:
            raise ValueError(f"chunk_rows: expected >= 1, given {chunk_rows}")
        self.path = Path(path)
        self.read_only = read_only
        self.chunk_rows = int(chunk_rows)
        self._handle = None
        self._pid = None
        self._open(read_only)
        if not read_only:
            self._drop_orphans()

    # --- database handle ---------------------------------------------------------------
    def _open(self, read_only: bool) -> None:
        rocksdict = require("rocksdict")
        options = rocksdict.Options(raw_mode=True)
        if read_only:
            if not (self.path / "CURRENT").exists():
                raise FileNotFoundError(f"RocksDBFeatureStore: no database at {self.path}")
            families = {name: rocksdict.Options(raw_mode=True)
                        for name in rocksdict.Rdict.list_cf(str(self.path)) if name != "default"}
            self._handle = rocksdict.Rdict(str(self.path), options, column_families=families,
                                           access_type=rocksdict.AccessType.read_only())
        else:
            options.create_if_missing(True)
            self._handle = rocksdict.Rdict(str(self.path), options)
        self._pid = os.getpid()
        self._families: dict[str, Any] = {}
        self._meta = {decode_key(k[len(META_PREFIX):].decode()): json.loads(v)
                      for k, v in self._handle.items(from_key=META_PREFIX)
                      if k.startswith(META_PREFIX)}

    @property
    def _db(self):
        if self._handle is None:
            raise RuntimeError(f"RocksDBFeatureStore({self.path}) is closed")
        if os.getpid() != self._pid:  # a forked worker: RocksDB handles do not survive fork
            _INHERITED_HANDLES.append((self._handle, self._families))
            self.read_only = True
            self._open(read_only=True)
        return self._handle

    @property
    def _entries(self) -> dict:
        """Metadata of every tensor, current for this process (re-read after a fork)."""
        self._db  # noqa: B018  (reopens the database in a forked child)
        return self._meta

    def _family(self, name: str):
        family = self._families.get(name)
        if family is None:
            family = self._families[name] = self._db.get_column_family(name)
        return family

    def _drop_orphans(self) -> None:
        live = {entry["cf"] for entry in self._meta.values()}
        rocksdict = require("rocksdict")
        for name in rocksdict.Rdict.list_cf(str(self.path)):
            if name.startswith("t-") and name not in live:
                self._handle.drop_column_family(name)

    def _writable(self) -> None:
        if self.read_only:
            raise PermissionError(f"RocksDBFeatureStore({self.path}) is opened read-only")

    def refresh(self) -> None:
        """Reopen to see tensors written by another process since this one opened."""
        self.close()
        self._open(self.read_only)

    def close(self) -> None:
        if self._handle is not None and os.getpid() == self._pid:
            self._families.clear()
            self._handle.close()
        self._handle = None

    def __getstate__(self) -> dict:
        return {"path": self.path, "chunk_rows": self.chunk_rows}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["path"], read_only=True, chunk_rows=state["chunk_rows"])

    # --- writing -------------------------------------------------------------------------
    def _commit_meta(self, key: tuple, entry: dict | None) -> None:
        rocksdict = require("rocksdict")
        sync = rocksdict.WriteOptions()
        sync.sync = True
        name = META_PREFIX + encode_key(*key).encode()
        batch = rocksdict.WriteBatch(raw_mode=True)
        if entry is None:
            batch.delete(name)
        else:
            batch.put(name, json.dumps(entry).encode())
        self._db.write(batch, sync)
        old = self._meta.pop(key, None)
        if entry is not None:
            self._meta[key] = entry
        if old is not None:
            self._families.pop(old["cf"], None)
            self._db.drop_column_family(old["cf"])

    def ingest(self, chunks: Iterable[Tensor], *args: Any, **kwargs: Any) -> tuple[int, ...]:
        """Bulk-load a tensor given as consecutive row blocks (any sizes), as SST files.

        Memory use is one block at a time; the tensor appears atomically at the end.
        Returns its shape.
        """
        self._writable()
        rocksdict = require("rocksdict")
        attr = self._tensor_attr(*args, **kwargs)
        name = f"t-{uuid.uuid4().hex}"
        family = self._db.create_column_family(name, rocksdict.Options(raw_mode=True))
        rows, dtype, trailing = 0, None, None
        with tempfile.TemporaryDirectory(dir=self.path) as tmp:
            sst = os.path.join(tmp, "ingest.sst")
            writer = rocksdict.SstFileWriter(options=rocksdict.Options(raw_mode=True))
            writer.open(sst)
            for i, block in enumerate(_rechunk(map(torch.as_tensor, chunks), self.chunk_rows)):
                if dtype is None:
                    dtype, trailing = block.dtype, tuple(block.shape[1:])
                if block.dtype != dtype or tuple(block.shape[1:]) != trailing:
                    self._db.drop_column_family(name)
                    raise ValueError(f"ingest {attr.key}: rows of dtype {block.dtype} and shape "
                                     f"{list(block.shape[1:])} after rows of {dtype} and "
                                     f"{list(trailing)}")
                writer[_chunk_key(i)] = _rows_as_bytes(block).tobytes()
                rows += block.size(0)
            if dtype is None:
                self._db.drop_column_family(name)
                raise ValueError(f"ingest {attr.key}: expected at least one non-empty block")
            writer.finish()
            family.ingest_external_file([sst])
        shape = (rows, *trailing)
        self._commit_meta(attr.key, {"cf": name, "dtype": dtype_name(dtype), "shape": list(shape),
                                     "chunk_rows": self.chunk_rows})
        return shape

    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        self._writable()
        if attr.index is None:
            if tensor.dim() == 0:
                raise ValueError(f"put_tensor {attr.key}: expected at least one dimension (rows)")
            if tensor.size(0) == 0:  # no chunks at all: metadata only
                name = f"t-{uuid.uuid4().hex}"
                self._db.create_column_family(name, require("rocksdict").Options(raw_mode=True))
                self._commit_meta(attr.key, {"cf": name, "dtype": dtype_name(tensor.dtype),
                                             "shape": list(tensor.shape),
                                             "chunk_rows": self.chunk_rows})
            else:
                self.ingest([tensor], attr)
            return True
        entry = self._meta[attr.key]
        dtype, shape = dtype_from_name(entry["dtype"]), tuple(entry["shape"])
        check_row_write(attr, shape, dtype, tensor, attr.index.numel())
        chunk_rows = entry["chunk_rows"]
        chunk_ids = torch.unique(attr.index // chunk_rows)
        current = self._read_rows(entry, torch.cat([torch.arange(c * chunk_rows, min(
            (c + 1) * chunk_rows, shape[0])) for c in chunk_ids.tolist()]))
        starts = chunk_ids * chunk_rows
        offsets = torch.zeros(chunk_ids.numel() + 1, dtype=torch.long)
        offsets[1:] = torch.cumsum(torch.clamp(shape[0] - starts, max=chunk_rows), 0)
        at = offsets[torch.searchsorted(chunk_ids, attr.index // chunk_rows)] + attr.index % chunk_rows
        current[at] = tensor.cpu()
        rocksdict = require("rocksdict")
        batch = rocksdict.WriteBatch(raw_mode=True)
        family = self._db.get_column_family_handle(entry["cf"])
        data = _rows_as_bytes(current)
        for j, c in enumerate(chunk_ids.tolist()):
            batch.put(_chunk_key(c), data[int(offsets[j]):int(offsets[j + 1])].tobytes(), family)
        self._db.write(batch)
        return True

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        self._writable()
        if attr.key not in self._meta:
            return False
        self._commit_meta(attr.key, None)
        return True

    # --- reading -------------------------------------------------------------------------
    def _read_rows(self, entry: dict, rows: Tensor) -> Tensor:
        """Rows (1-D int64, in range) of a stored tensor via one multi-get of their chunks."""
        dtype, shape = dtype_from_name(entry["dtype"]), tuple(entry["shape"])
        row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * torch.empty(0, dtype=dtype).element_size()
        if rows.numel() == 0 or row_bytes == 0:
            return torch.zeros((rows.numel(), *shape[1:]), dtype=dtype)
        chunk_rows = entry["chunk_rows"]
        chunk_ids, where = torch.unique(rows // chunk_rows, return_inverse=True)
        values = self._family(entry["cf"])[[_chunk_key(c) for c in chunk_ids.tolist()]]
        if any(v is None for v in values):
            raise RuntimeError(f"RocksDBFeatureStore({self.path}): chunks of a committed tensor "
                               f"are missing; the database is damaged")
        buffer = np.frombuffer(b"".join(values), dtype=np.uint8).reshape(-1, row_bytes)
        lengths = torch.tensor([len(v) // row_bytes for v in values])
        offsets = torch.cumsum(lengths, 0) - lengths
        picked = buffer[(offsets[where] + rows % chunk_rows).numpy()]
        return torch.from_numpy(np.ascontiguousarray(picked)).view(dtype).view(rows.numel(), *shape[1:])

    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        entry = self._entries.get(attr.key)
        if entry is None:
            return None
        num_rows = entry["shape"][0]
        index = attr.index
        if index is None or isinstance(index, slice):
            rows = torch.arange(num_rows)[index] if index is not None else torch.arange(num_rows)
        elif isinstance(index, int):
            return self._read_rows(entry, torch.tensor([index]))[0]
        else:
            rows = index
        return self._read_rows(entry, rows)

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        entry = self._entries.get(attr.key)
        return None if entry is None else tuple(entry["shape"])

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(group, name, None) for group, name in self._entries]

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"{type(self).__name__}({str(self.path)!r}, {mode}, {len(self._meta)} tensors)"
