"""``DiskGraphStore``: adjacency kept on disk as memory-mapped CSC, sampled in place.

Whatever layout is put, each edge type is stored grouped by destination (``colptr``,
``row`` and ``perm``, the position of each entry in the edge order that was put), in a
:class:`MemmapFeatureStore` under ``root``. :meth:`DiskGraphStore.sample` draws neighbours
reading only the pointer entries of the frontier and the sampled positions, so graphs far
larger than memory can be sampled. Each edge type's three arrays are published together:
a manifest names the generation in use and is replaced atomically once all three are
written.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from geode_core.data import EdgeAttr, EdgeLayout, GraphStore
from geode_core.data.graph_store import convert_layout

from ._keys import decode_key, encode_key
from .atomic import atomic_write_json, read_json
from .keyed_sampling import NeighborSample, csc_hop, sample_multi_hop
from .memmap import MemmapFeatureStore

__all__ = ["DiskGraphStore"]

ARRAYS = ("colptr", "row", "perm")


class DiskGraphStore(GraphStore):
    """Graph store of memory-mapped CSC arrays in directory ``root``.

    Args:
        root: the store directory.
        mode: ``"r"`` read only, ``"a"`` read-write (default), ``"w"`` start empty.
    """

    def __init__(self, root: str | os.PathLike, mode: str = "a") -> None:
        self.root = Path(root)
        self.mode = mode
        self._arrays = MemmapFeatureStore(self.root / "arrays", mode=mode)
        manifest = self.root / "edges.json"
        if mode == "w" or (mode == "a" and not manifest.exists()):
            self._edges: dict[str, dict] = {}
            atomic_write_json(manifest, self._edges)
        else:
            self._edges = read_json(manifest, f"DiskGraphStore({self.root})")
        if mode != "r":
            self._drop_unpublished()

    def _drop_unpublished(self) -> None:
        live = {(key, entry["gen"]) for key, entry in self._edges.items()}
        for attr in self._arrays.get_all_tensor_attrs():
            key, gen = attr.group_name, attr.attr_name.split("/")[0]
            if (key, gen) not in live:
                self._arrays.remove_tensor(attr)

    def _array(self, key: str, name: str) -> Tensor:
        return self._arrays.get_mapped_tensor(key, f"{self._edges[key]['gen']}/{name}")

    # --- GraphStore primitives -------------------------------------------------------------
    def _put_edge_index(self, edge_index: tuple[Tensor, Tensor], edge_attr: EdgeAttr) -> bool:
        if self.mode == "r":
            raise PermissionError(f"DiskGraphStore({self.root}) is opened read-only (mode='r')")
        size = edge_attr.size
        row, colptr, perm = convert_layout(edge_index, edge_attr.layout, EdgeLayout.CSC, size)
        if perm is None:
            perm = torch.arange(row.numel())
        key = encode_key(edge_attr.edge_type, "edges")
        gen = uuid.uuid4().hex[:12]
        for name, array in zip(ARRAYS, (colptr, row, perm)):
            self._arrays.put_tensor(array.contiguous(), key, f"{gen}/{name}")
        old = self._edges.get(key)
        self._edges[key] = {"gen": gen, "size": list(size), "layout": edge_attr.layout.value,
                            "is_sorted": bool(edge_attr.is_sorted)}
        atomic_write_json(self.root / "edges.json", self._edges)
        if old is not None:
            for name in ARRAYS:
                self._arrays.remove_tensor(key, f"{old['gen']}/{name}")
        return True

    def _get_edge_index(self, edge_attr: EdgeAttr) -> tuple[Tensor, Tensor] | None:
        key = encode_key(edge_attr.edge_type, "edges")
        entry = self._edges.get(key)
        if entry is None:
            return None
        colptr, row, perm = (self._array(key, name) for name in ARRAYS)
        if edge_attr.layout == EdgeLayout.CSC:
            return row.clone(), colptr.clone()
        # back to the edge order that was put, then to the requested layout
        inverse = torch.empty_like(perm)
        inverse[perm] = torch.arange(perm.numel())
        col = torch.repeat_interleave(torch.arange(colptr.numel() - 1), colptr.diff())
        coo = (row[inverse], col[inverse])
        first, second, _ = convert_layout(coo, EdgeLayout.COO, edge_attr.layout, tuple(entry["size"]))
        return first, second

    def _remove_edge_index(self, edge_attr: EdgeAttr) -> bool:
        key = encode_key(edge_attr.edge_type, "edges")
        entry = self._edges.pop(key, None)
        if entry is None:
            return False
        atomic_write_json(self.root / "edges.json", self._edges)
        for name in ARRAYS:
            self._arrays.remove_tensor(key, f"{entry['gen']}/{name}")
        return True

    def get_all_edge_attrs(self) -> list[EdgeAttr]:
        """One CSC ``EdgeAttr`` per edge type (every layout can be read back)."""
        return [EdgeAttr(decode_key(key)[0], EdgeLayout.CSC, size=tuple(entry["size"]))
                for key, entry in self._edges.items()]

    def csc(self, edge_types: list | None = None) -> tuple[dict, dict, dict]:
        """``(colptr, row, perm)`` per edge type as memory-mapped tensors (no copy)."""
        keys = {decode_key(k)[0]: k for k in self._edges}
        chosen = list(keys) if edge_types is None else [None if e is None else tuple(e)
                                                        for e in edge_types]
        missing = [e for e in chosen if e not in keys]
        if missing:
            raise KeyError(f"DiskGraphStore: no edge index for edge types {missing}; "
                           f"stored: {list(keys)}")
        out: tuple[dict, dict, dict] = ({}, {}, {})
        for et in chosen:
            for d, name in zip(out, ARRAYS):
                d[et] = self._array(keys[et], name)
        colptr, row, perm = out
        return colptr, row, perm

    # --- sampling --------------------------------------------------------------------------
    def sample(self, seeds: Tensor, num_neighbors: list[int], edge_type: Any = None,
               seed: int = 0, epoch: int = 0) -> NeighborSample:
        """Sample incoming neighbours of ``seeds`` hop by hop, reading only what is needed.

        Randomness is keyed by ``(seed, epoch, hop, node)``, see
        :mod:`geode_stores.keyed_sampling`; ``e_id`` are positions in the edge order put.
        """
        colptr, row, perm = (d[edge_type] for d in self.csc([edge_type]))
        num_dst = colptr.numel() - 1
        seeds = torch.as_tensor(seeds).long()
        if seeds.numel() and (int(seeds.min()) < 0 or int(seeds.max()) >= num_dst):
            raise IndexError(f"DiskGraphStore.sample: seeds must lie in [0, {num_dst}), given "
                             f"range [{int(seeds.min())}, {int(seeds.max())}]")
        return sample_multi_hop(csc_hop(colptr, row, perm, seed, epoch), seeds, num_neighbors)

    def close(self) -> None:
        self._arrays.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r}, {len(self._edges)} edge types)"
