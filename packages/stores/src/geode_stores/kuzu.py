"""Kuzu-backed stores: node features and graph structure served from a Kuzu database.

:func:`to_kuzu` writes a Geode graph into a new database: one node table per node type
(``"node"`` for a homogeneous :class:`Data`) with an ``INT64`` primary key ``id`` (the node
index) and one column per node attribute (fixed-size arrays for 2-D attributes), and one
relationship table per edge type (``"edge"`` for a homogeneous graph), bulk-loaded with
``COPY``. :class:`KuzuFeatureStore` and :class:`KuzuGraphStore` read any database shaped
like that, including ones built by other tools: groups are node tables, attributes are
their numeric columns, rows are addressed by the ``id`` column (``0 .. n-1``), and edge
types are ``(from_table, rel_table, to_table)``.

Both stores are read-only views; the database is opened read-only, so any number of
processes (DataLoader workers included, which reopen it after a fork) can serve from it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from geode_core.data import (
    Data,
    EdgeAttr,
    EdgeLayout,
    FeatureStore,
    GraphStore,
    HeteroData,
    TensorAttr,
)
from geode_core.data.graph_store import convert_layout

from ._deps import require

__all__ = ["KuzuFeatureStore", "KuzuGraphStore", "to_kuzu"]

_KUZU_TYPES = {torch.float32: "FLOAT", torch.float64: "DOUBLE", torch.int64: "INT64",
               torch.int32: "INT32", torch.int16: "INT16", torch.int8: "INT8",
               torch.uint8: "UINT8"}
_TORCH_TYPES = {v: k for k, v in _KUZU_TYPES.items()}
_ARRAY = re.compile(r"^(\w+)\[(\d+)\]$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: database handles inherited through fork, kept alive (see geode_stores.rocksdb)
_INHERITED: list = []


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{what}: expected an identifier (letters, digits, _), given {name!r}")
    return name


def to_kuzu(data: Data | HeteroData, path: str | os.PathLike) -> Path:
    """Create a Kuzu database at ``path`` (which must not exist) holding ``data``."""
    kuzu = require("kuzu")
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"path: {path} exists; to_kuzu creates a new database")
    if isinstance(data, Data):
        nodes = {"node": {k: data[k] for k in (a.attr_name for a in data.get_all_tensor_attrs())}}
        nodes["node"]["__n"] = int(data.num_nodes)
        edges = {("node", "edge", "node"): data.edge_index}
    elif isinstance(data, HeteroData):
        nodes = {}
        for a in data.get_all_tensor_attrs():
            nodes.setdefault(a.group_name, {})[a.attr_name] = data[a.group_name][a.attr_name]
        for nt in data.node_types:
            nodes.setdefault(nt, {})["__n"] = int(data[nt].num_nodes or 0)
        edges = {et: data[et].edge_index for et in data.edge_types if "edge_index" in data[et]}
    else:
        raise TypeError(f"data: expected Data or HeteroData, given {type(data).__name__}")
    rels = [et[1] for et in edges]
    if len(set(rels)) != len(rels):
        raise ValueError(f"data: relation names must be unique to become Kuzu tables, given {rels}")
    conn = kuzu.Connection(kuzu.Database(str(path)))
    with tempfile.TemporaryDirectory() as tmp:
        for table, columns in nodes.items():
            _check_name(table, "node type")
            n = columns.pop("__n")
            schema, files = ["id INT64"], [os.path.join(tmp, f"{table}.id.npy")]
            np.save(files[0], np.arange(n, dtype=np.int64))
            for name, value in columns.items():
                _check_name(name, "attribute")
                if value.dtype not in _KUZU_TYPES or value.dim() not in (1, 2):
                    raise TypeError(f"{table}.{name}: Kuzu columns hold 1-D or 2-D tensors of "
                                    f"{[str(t) for t in _KUZU_TYPES]}, given {value.dtype} "
                                    f"{list(value.shape)}")
                kind = _KUZU_TYPES[value.dtype]
                schema.append(f"{name} {kind}" if value.dim() == 1 else f"{name} {kind}[{value.size(1)}]")
                files.append(os.path.join(tmp, f"{table}.{name}.npy"))
                np.save(files[-1], value.detach().cpu().contiguous().numpy())
            conn.execute(f"CREATE NODE TABLE {table}({', '.join(schema)}, PRIMARY KEY(id))")
            if n:
                listed = ", ".join(f"'{f}'" for f in files)
                conn.execute(f"COPY {table} FROM ({listed}) BY COLUMN")
        for (src, rel, dst), ei in edges.items():
            _check_name(rel, "relation")
            conn.execute(f"CREATE REL TABLE {rel}(FROM {src} TO {dst})")
            if ei.numel():
                csv = os.path.join(tmp, f"{rel}.csv")
                np.savetxt(csv, ei.t().cpu().numpy(), fmt="%d", delimiter=",")
                conn.execute(f"COPY {rel} FROM '{csv}' (header=false)")
    conn.close()
    return path


class _KuzuReader:
    """A read-only connection, reopened in forked children."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"no Kuzu database at {self.path}")
        self._open()

    def _open(self) -> None:
        kuzu = require("kuzu")
        self._db = kuzu.Database(str(self.path), read_only=True)
        self._conn = kuzu.Connection(self._db)
        self._pid = os.getpid()

    def query(self, text: str, parameters: dict | None = None) -> list[list]:
        if self._conn is None:
            raise RuntimeError(f"the Kuzu database {self.path} is closed")
        if os.getpid() != self._pid:
            _INHERITED.append((self._db, self._conn))
            self._open()
        return self._conn.execute(text, parameters or {}).get_all()

    def close(self) -> None:
        if self._conn is not None and os.getpid() == self._pid:
            self._conn.close()
            self._db.close()
        self._conn = self._db = None

    def tables(self, kind: str) -> list[str]:
        return [row[1] for row in self.query("CALL show_tables() RETURN *") if row[2] == kind]


class KuzuFeatureStore(FeatureStore):
    """Node features read from the Kuzu database at ``path`` (see the module docstring)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._db = _KuzuReader(path)
        self._columns: dict[tuple, tuple[torch.dtype, tuple[int, ...]]] = {}
        for table in self._db.tables("NODE"):
            count = self._db.query(f"MATCH (n:{table}) RETURN count(n)")[0][0]
            for _, name, kind, *_ in self._db.query(f"CALL table_info('{table}') RETURN *"):
                if name == "id":
                    continue
                array = _ARRAY.match(kind)
                base = array.group(1) if array else kind
                if base in _TORCH_TYPES:
                    shape = (count, int(array.group(2))) if array else (count,)
                    self._columns[(table, name)] = (_TORCH_TYPES[base], shape)

    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        raise PermissionError("KuzuFeatureStore is read-only; create the database with "
                              "geode_stores.to_kuzu or write it with Kuzu itself")

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        raise PermissionError("KuzuFeatureStore is read-only")

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        found = self._columns.get(attr.key)
        return None if found is None else found[1]

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(table, name, None) for table, name in self._columns]

    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        if attr.key not in self._columns:
            return None
        dtype, shape = self._columns[attr.key]
        table, name = attr.key
        index = attr.index
        if index is None or isinstance(index, slice):
            rows = self._db.query(f"MATCH (n:{table}) RETURN n.{name} ORDER BY n.id")
            out = torch.tensor([r[0] for r in rows], dtype=dtype).view(shape)
            return out if index is None else out[index]
        ids = torch.tensor([index]) if isinstance(index, int) else index
        wanted, where = torch.unique(ids, return_inverse=True)
        rows = self._db.query(f"MATCH (n:{table}) WHERE n.id IN $ids RETURN n.id, n.{name}",
                              {"ids": wanted.tolist()})
        got_ids = torch.tensor([r[0] for r in rows], dtype=torch.long)
        values = torch.tensor([r[1] for r in rows], dtype=dtype).view(len(rows), *shape[1:])
        if got_ids.numel() != wanted.numel():
            raise KeyError(f"KuzuFeatureStore: table {table!r} has no rows with ids "
                           f"{sorted(set(wanted.tolist()) - set(got_ids.tolist()))[:10]}")
        values = values[torch.argsort(got_ids)]  # now aligned with the sorted unique ids
        out = values[where]
        return out[0] if isinstance(index, int) else out

    def close(self) -> None:
        self._db.close()

    def __repr__(self) -> str:
        return f"KuzuFeatureStore({str(self._db.path)!r}, {len(self._columns)} columns)"


class KuzuGraphStore(GraphStore):
    """Edges of each relationship table, as ``(from_table, rel_table, to_table)`` types."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._db = _KuzuReader(path)
        self._types: dict[Any, tuple[int, int]] = {}
        counts = {t: self._db.query(f"MATCH (n:{t}) RETURN count(n)")[0][0]
                  for t in self._db.tables("NODE")}
        for rel in self._db.tables("REL"):
            for row in self._db.query(f"CALL show_connection('{rel}') RETURN *"):
                src, dst = row[0], row[1]
                self._types[(src, rel, dst)] = (counts[src], counts[dst])

    def _edge_type(self, edge_type: Any) -> Any:
        if edge_type is None and len(self._types) == 1:
            return next(iter(self._types))
        return edge_type

    def _put_edge_index(self, edge_index, edge_attr: EdgeAttr) -> bool:
        raise PermissionError("KuzuGraphStore is read-only; create the database with "
                              "geode_stores.to_kuzu or write it with Kuzu itself")

    def _remove_edge_index(self, edge_attr: EdgeAttr) -> bool:
        raise PermissionError("KuzuGraphStore is read-only")

    def _get_edge_index(self, edge_attr: EdgeAttr) -> tuple[Tensor, Tensor] | None:
        edge_type = self._edge_type(edge_attr.edge_type)
        if edge_type not in self._types:
            return None
        src, rel, dst = edge_type
        rows = self._db.query(f"MATCH (a:{src})-[e:{rel}]->(b:{dst}) RETURN a.id, b.id")
        pairs = torch.tensor(rows, dtype=torch.long).view(-1, 2)
        order = torch.argsort(pairs[:, 1] * (self._types[edge_type][0] + 1) + pairs[:, 0])
        row, col = pairs[order, 0], pairs[order, 1]  # a deterministic order: by target, source
        if edge_attr.layout == EdgeLayout.COO:
            return row, col
        first, second, _ = convert_layout((row, col), EdgeLayout.COO, edge_attr.layout,
                                          self._types[edge_type])
        return first, second

    def get_all_edge_attrs(self) -> list[EdgeAttr]:
        return [EdgeAttr(et, EdgeLayout.COO, size=size) for et, size in self._types.items()]

    def close(self) -> None:
        self._db.close()

    def __repr__(self) -> str:
        return f"KuzuGraphStore({str(self._db.path)!r}, edge types {list(self._types)})"
