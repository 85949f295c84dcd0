"""``MemmapFeatureStore``: one memory-mapped file per tensor plus a JSON manifest.

Layout of ``root``::

    meta.json        {"format": ..., "tensors": {key: {"file", "dtype", "shape", "dirty"}}}
    t-<uuid>.bin     raw rows of one tensor (C order)

Reads touch only the pages holding the requested rows. Crash safety: a whole tensor is
written to a new file, fsynced, and only then published by atomically replacing
``meta.json``; a writer killed before that leaves the previous tensor (or none). Row
writes go in place and are bracketed by a ``dirty`` flag in the manifest: a store whose
writer died mid row-write refuses to serve that tensor with a clear error instead of
returning rows that may be half written.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from geode_core.data import FeatureStore, TensorAttr
from geode_core.data.feature_store import check_row_write

from ._keys import decode_key, dtype_from_name, dtype_name, encode_key
from .atomic import atomic_write_json, fsync_dir, read_json

__all__ = ["MemmapFeatureStore", "StoreCorruptedError"]

FORMAT = "geode-memmap-feature-store/1"
MODES = ("r", "a", "w")


class StoreCorruptedError(RuntimeError):
    """A store (or one of its tensors) was left incomplete by a writer that stopped."""


class _Mapped:
    """A file mapped as a tensor sharing its pages (nothing is read until rows are indexed)."""

    def __init__(self, path: Path, dtype: torch.dtype, shape: tuple[int, ...], writable: bool):
        self.raw = None
        if int(np.prod(shape)) == 0:
            self.tensor = torch.empty(shape, dtype=dtype)
            return
        self.raw = np.memmap(path, dtype=np.uint8, mode="r+" if writable else "c")
        self.tensor = torch.from_numpy(self.raw).view(dtype).view(shape)

    def flush(self) -> None:
        if self.raw is not None:
            self.raw.flush()


class MemmapFeatureStore(FeatureStore):
    """Feature store of memory-mapped files in directory ``root``.

    Args:
        root: the store directory (created for modes ``"a"`` and ``"w"``).
        mode: ``"r"`` read only (for workers and readers), ``"a"`` read-write (default),
            ``"w"`` start empty (deletes the tensors already there).
    """

    def __init__(self, root: str | os.PathLike, mode: str = "a") -> None:
        if mode not in MODES:
            raise ValueError(f"mode: expected one of {MODES}, given {mode!r}")
        self.root = Path(root)
        self.mode = mode
        self._maps: dict[str, _Mapped] = {}
        meta = self.root / "meta.json"
        if mode == "r" or (mode == "a" and meta.exists()):
            self._meta = read_json(meta, f"MemmapFeatureStore({self.root})")
            if self._meta.get("format") != FORMAT:
                raise RuntimeError(f"MemmapFeatureStore({self.root}): expected format {FORMAT!r}, "
                                   f"given {self._meta.get('format')!r}")
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            old = read_json(meta, "") if meta.exists() else {"tensors": {}}
            self._meta = {"format": FORMAT, "tensors": {}}
            self._commit()
            for entry in old["tensors"].values():
                (self.root / entry["file"]).unlink(missing_ok=True)
        if mode != "r":
            self._remove_orphans()

    # --- manifest ------------------------------------------------------------------------
    def _commit(self) -> None:
        atomic_write_json(self.root / "meta.json", self._meta)

    def _remove_orphans(self) -> None:
        """Delete data files no manifest entry names (left by a writer that stopped)."""
        live = {e["file"] for e in self._meta["tensors"].values()}
        for path in self.root.glob("t-*.bin*"):
            if path.name not in live:
                path.unlink(missing_ok=True)

    def _entry(self, attr: TensorAttr) -> dict | None:
        entry = self._meta["tensors"].get(encode_key(*attr.key))
        if entry is not None and entry.get("dirty"):
            raise StoreCorruptedError(
                f"MemmapFeatureStore({self.root}): tensor {attr.key} was being written when its "
                f"writer stopped; its rows may be partial. Put the tensor again to repair it.")
        return entry

    def _writable(self) -> None:
        if self.mode == "r":
            raise PermissionError(f"MemmapFeatureStore({self.root}) is opened read-only (mode='r')")

    def _mapped(self, key: str, entry: dict) -> _Mapped:
        mapped = self._maps.get(key)
        if mapped is None:
            mapped = _Mapped(self.root / entry["file"], dtype_from_name(entry["dtype"]),
                             tuple(entry["shape"]), writable=self.mode != "r")
            self._maps[key] = mapped
        return mapped

    def refresh(self) -> None:
        """Re-read the manifest (a reader picks up tensors written since it opened)."""
        self._meta = read_json(self.root / "meta.json", f"MemmapFeatureStore({self.root})")
        self._maps.clear()

    # --- writing ---------------------------------------------------------------------------
    def _publish(self, attr: TensorAttr, tmp: Path, dtype: torch.dtype, shape: tuple) -> None:
        """Make a fully written temporary file the tensor ``attr`` (atomic)."""
        key = encode_key(*attr.key)
        name = f"t-{uuid.uuid4().hex}.bin"
        os.replace(tmp, self.root / name)
        fsync_dir(self.root)
        old = self._meta["tensors"].get(key)
        self._meta["tensors"][key] = {"file": name, "dtype": dtype_name(dtype),
                                      "shape": list(shape), "dirty": False}
        self._commit()
        self._maps.pop(key, None)
        if old is not None:
            (self.root / old["file"]).unlink(missing_ok=True)

    def ingest(self, chunks: Iterable[Tensor], *args: Any, **kwargs: Any) -> tuple[int, ...]:
        """Write a tensor given as consecutive row chunks, without holding it in memory.

        The tensor appears (atomically) once every chunk is written; returns its shape.
        """
        self._writable()
        attr = self._tensor_attr(*args, **kwargs)
        tmp = self.root / f"t-{uuid.uuid4().hex}.bin.tmp"
        rows, dtype, trailing = 0, None, None
        with open(tmp, "wb") as f:
            for i, chunk in enumerate(chunks):
                chunk = torch.as_tensor(chunk)
                if dtype is None:
                    dtype, trailing = chunk.dtype, tuple(chunk.shape[1:])
                if chunk.dtype != dtype or tuple(chunk.shape[1:]) != trailing:
                    f.close()
                    tmp.unlink()
                    raise ValueError(f"ingest {attr.key}: chunk {i} has dtype {chunk.dtype} and "
                                     f"shape {list(chunk.shape)}; expected {dtype} and "
                                     f"[*, {', '.join(map(str, trailing))}]")
                f.write(chunk.contiguous().view(-1).view(torch.uint8).numpy().tobytes()
                        if chunk.numel() else b"")
                rows += chunk.size(0)
            f.flush()
            os.fsync(f.fileno())
        if dtype is None:
            tmp.unlink()
            raise ValueError(f"ingest {attr.key}: expected at least one chunk, given none")
        shape = (rows, *trailing)
        self._publish(attr, tmp, dtype, shape)
        return shape

    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        self._writable()
        if attr.index is None:
            if tensor.dim() == 0:
                raise ValueError(f"put_tensor {attr.key}: expected at least one dimension (rows)")
            self.ingest([tensor.detach().cpu()], attr)
            return True
        key = encode_key(*attr.key)
        entry = self._entry(attr)
        mapped = self._mapped(key, entry)
        stored = mapped.tensor
        check_row_write(attr, tuple(stored.shape), stored.dtype, tensor, attr.index.numel())
        entry["dirty"] = True
        self._commit()
        stored[attr.index] = tensor.cpu()
        mapped.flush()
        entry["dirty"] = False
        self._commit()
        return True

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        self._writable()
        key = encode_key(*attr.key)
        entry = self._meta["tensors"].pop(key, None)
        if entry is None:
            return False
        self._commit()
        self._maps.pop(key, None)
        (self.root / entry["file"]).unlink(missing_ok=True)
        return True

    # --- reading ---------------------------------------------------------------------------
    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        entry = self._entry(attr)
        if entry is None:
            return None
        mapped = self._mapped(encode_key(*attr.key), entry).tensor
        if attr.index is None:
            return mapped.clone()
        out = mapped[attr.index]
        return out.clone() if isinstance(attr.index, (slice, int)) else out

    def get_mapped_tensor(self, *args: Any, **kwargs: Any) -> Tensor:
        """The whole stored tensor backed by its file, without copying (treat as read only)."""
        attr = self._tensor_attr(*args, **kwargs)
        entry = self._entry(attr)
        if entry is None:
            raise KeyError(self._missing_tensor(attr))
        return self._mapped(encode_key(*attr.key), entry).tensor

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        entry = self._entry(attr)
        return None if entry is None else tuple(entry["shape"])

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(*decode_key(key), None) for key in self._meta["tensors"]]

    def close(self) -> None:
        """Drop the mappings; the store can be opened again from ``root``."""
        self._maps.clear()

    def __getstate__(self) -> dict:
        return {"root": self.root, "mode": self.mode, "_meta": self._meta, "_maps": {}}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r}, mode={self.mode!r}, " \
               f"{len(self._meta['tensors'])} tensors)"
