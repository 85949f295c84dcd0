"""Data: one homogeneous graph with arbitrary named attributes."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from ..ops.adjacency import Adjacency
from .data_stores import DataStoreMixin
from .storage import (
    AttrStore,
    cached_adjacency,
    describe,
    infer_num_nodes,
    is_edge_key,
    is_index_key,
)

#: attributes that always hold one row per node
NODE_KEYS = ("x", "pos", "batch", "n_id", "node_type")


class Data(AttrStore, DataStoreMixin):
    """A graph: ``Data(x=..., edge_index=..., edge_attr=..., y=..., **anything)``.

    ``edge_index`` is a ``[2, num_edges]`` int64 tensor of (source, target) pairs. Any other
    keyword becomes an attribute; ``__inc__`` and ``__cat_dim__`` tell :class:`Batch` how to
    concatenate it. A Data is also a feature and graph store (group and edge type ``None``).
    """

    def __init__(self, x: Tensor | None = None, edge_index: Tensor | None = None,
                 edge_attr: Tensor | None = None, y: Any = None, pos: Tensor | None = None,
                 **kwargs: Any) -> None:
        super().__init__(x=x, edge_index=edge_index, edge_attr=edge_attr, y=y, pos=pos, **kwargs)

    # --- sizes --------------------------------------------------------------------------
    @property
    def num_nodes(self) -> int | None:
        return infer_num_nodes(self)

    @num_nodes.setter
    def num_nodes(self, value: int | None) -> None:
        if value is None:
            self._store.pop("num_nodes", None)
        else:
            self._store["num_nodes"] = int(value)

    @property
    def num_edges(self) -> int:
        ei = self.get("edge_index")
        if isinstance(ei, Tensor) and ei.dim() == 2:
            return int(ei.size(1))
        adj = self.get("adj_t")
        return adj.num_edges if adj is not None else 0

    # --- cached adjacency ---------------------------------------------------------------
    @property
    def adj_t(self) -> Adjacency:
        """The graph sorted by destination (an :class:`~geode_core.ops.Adjacency`: CSR with
        rows = targets, its transpose and the permutations), built from ``edge_index`` on
        first use and cached on this graph. The cache is rebuilt when ``edge_index`` or
        ``num_nodes`` is replaced or ``edge_index`` is modified in place. An adjacency stored
        explicitly (``data.adj_t = adj``, as :class:`~geode_core.transforms.ToSparseTensor`
        does) is returned as is. Pass it to any layer in place of ``edge_index``."""
        stored = self._store.get("adj_t")
        if stored is not None:
            return stored
        ei = self.get("edge_index")
        if not isinstance(ei, Tensor):
            raise AttributeError(f"{type(self).__name__}.adj_t: the graph has no edge_index to "
                                 f"build an adjacency from")
        n = int(self.num_nodes or 0)
        return cached_adjacency(self, ei, (n, n))

    @adj_t.setter
    def adj_t(self, value: Adjacency | None) -> None:
        if value is None:
            self._store.pop("adj_t", None)
        else:
            self._store["adj_t"] = value

    @staticmethod
    def _feature_dim(value: Any) -> int:
        if not isinstance(value, Tensor) or value.dim() == 0:
            return 0
        return 1 if value.dim() == 1 else int(value.size(-1))

    @property
    def num_node_features(self) -> int:
        return self._feature_dim(self.get("x"))

    @property
    def num_features(self) -> int:
        return self.num_node_features

    @property
    def num_edge_features(self) -> int:
        return self._feature_dim(self.get("edge_attr"))

    # --- batching protocol ----------------------------------------------------------------
    def __inc__(self, key: str, value: Any, *args, **kwargs) -> int:
        """How much to add to ``value`` when this graph is appended to a batch."""
        return int(self.num_nodes or 0) if is_index_key(key) else 0

    def __cat_dim__(self, key: str, value: Any, *args, **kwargs) -> int | None:
        """Dimension along which ``value`` is concatenated in a batch (None: stack)."""
        if isinstance(value, Tensor) and value.dim() == 0:
            return None
        return -1 if is_index_key(key) else 0

    # --- attribute kinds ----------------------------------------------------------------
    def is_node_attr(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, Tensor) or value.dim() == 0 or is_index_key(key):
            return False
        if key in NODE_KEYS:
            return True
        return not is_edge_key(key) and value.size(0) == self.num_nodes

    def is_edge_attr(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, Tensor) or value.dim() == 0 or key == "edge_index":
            return False
        return is_edge_key(key) and value.size(0) == self.num_edges

    # --- graph structure ----------------------------------------------------------------
    def _edge_index(self) -> Tensor:
        ei = self.get("edge_index")
        if ei is None:
            return torch.empty(2, 0, dtype=torch.long)
        return ei

    def is_undirected(self) -> bool:
        from ..utils import is_undirected

        return is_undirected(self._edge_index(), self.get("edge_attr"), self.num_nodes)

    def is_directed(self) -> bool:
        return not self.is_undirected()

    def has_self_loops(self) -> bool:
        ei = self._edge_index()
        return bool((ei[0] == ei[1]).any())

    def has_isolated_nodes(self) -> bool:
        """True when some node has no edge to or from another node (self loops don't count)."""
        ei = self._edge_index()
        ei = ei[:, ei[0] != ei[1]]
        n = self.num_nodes or 0
        touched = torch.zeros(n, dtype=torch.bool, device=ei.device)
        touched[ei.reshape(-1)] = True
        return not bool(touched.all())

    def subgraph(self, subset: Tensor) -> Data:
        """The graph induced by ``subset`` (node indices or bool mask), nodes relabelled."""
        from ..utils import subgraph

        n = self.num_nodes or 0
        if subset.dtype != torch.bool:
            subset = torch.zeros(n, dtype=torch.bool, device=subset.device).index_fill_(
                0, subset.long(), True)
        ei, _, edge_mask = subgraph(subset, self._edge_index(), relabel_nodes=True, num_nodes=n,
                                    return_edge_mask=True)
        out = self.clone()
        for key, value in self.items():
            if key == "edge_index":
                out[key] = ei
            elif key == "num_nodes":
                out[key] = int(subset.sum())
            elif self.is_edge_attr(key):
                out[key] = value[edge_mask]
            elif self.is_node_attr(key):
                out[key] = value[subset]
        return out

    def is_coalesced(self) -> bool:
        """True when the edges are sorted by (source, target) with no duplicates."""
        ei = self._edge_index()
        key = ei[0] * max(int(self.num_nodes or 0), 1) + ei[1]
        return bool((key[1:] > key[:-1]).all())

    def coalesce(self, reduce: str = "sum") -> Data:
        """Sort the edges by (source, target) and merge duplicates in place; every edge
        attribute of a merged edge is reduced with ``reduce``."""
        from ..utils import coalesce

        ei = self._edge_index()
        n = int(self.num_nodes or 0)
        if "num_nodes" not in self:
            self.num_nodes = n
        for key in [k for k, _ in self if k != "edge_index" and self.is_edge_attr(k)]:
            self[key] = coalesce(ei, self[key], n, reduce)[1]
        self.edge_index = coalesce(ei, None, n)[0]
        return self

    @classmethod
    def from_dict(cls, mapping: dict[str, Any]) -> Data:
        """A graph with one attribute per entry of ``mapping`` (inverse of ``to_dict``)."""
        return cls(**mapping)

    def edge_subgraph(self, subset: Tensor) -> Data:
        """Keep only the edges in ``subset`` (indices or bool mask); all nodes stay."""
        out = self.clone()
        if "edge_index" not in self:
            return out
        if "num_nodes" not in self:
            out.num_nodes = self.num_nodes
        for key, value in self.items():
            if key == "edge_index":
                out[key] = value[:, subset]
            elif self.is_edge_attr(key):
                out[key] = value[subset]
        return out

    def to_heterogeneous(self, node_type: Tensor | None = None, edge_type: Tensor | None = None,
                         node_type_names: list[str] | None = None,
                         edge_type_names: list[tuple[str, str, str]] | None = None):
        """Split into a :class:`~geode_core.data.HeteroData` by ``node_type`` / ``edge_type``
        (arguments, else the attributes of those names, else all 0).

        Nodes are numbered within their type in their original order; node and edge
        attributes are split by type, other attributes become graph-level. Names default to
        ``'0', '1', ...`` and ``(src_name, str(t), dst_name)`` (edges of one type must then
        join one pair of node types). Inverse of
        :meth:`~geode_core.data.HeteroData.to_homogeneous` when given its type names.
        """
        from .hetero_convert import to_heterogeneous

        return to_heterogeneous(self, node_type, edge_type, node_type_names, edge_type_names)

    # --- validation ---------------------------------------------------------------------
    def validate(self, raise_on_error: bool = True) -> bool:
        """Check the graph and report every problem found at once."""
        problems: list[str] = []
        n = self.num_nodes
        ei = self.get("edge_index")
        if ei is not None:
            if not isinstance(ei, Tensor):
                problems.append(f"edge_index: expected a torch.Tensor, given {type(ei).__name__}")
            else:
                if ei.dtype != torch.long:
                    problems.append(f"edge_index: expected dtype torch.int64, given {ei.dtype}")
                if ei.dim() != 2 or ei.size(0) != 2:
                    problems.append(f"edge_index: expected shape [2, num_edges], given {list(ei.shape)}")
                elif ei.numel() and not ei.is_floating_point():
                    lo, hi = int(ei.min()), int(ei.max())
                    if lo < 0:
                        problems.append(f"edge_index: expected non-negative indices, given minimum {lo}")
                    if n is not None and hi >= n:
                        problems.append(f"edge_index: expected indices in [0, {n}) "
                                        f"(num_nodes={n}), given maximum {hi}")
        if n is not None:
            for key in NODE_KEYS:
                value = self.get(key)
                if isinstance(value, Tensor) and value.dim() > 0 and value.size(0) != n:
                    problems.append(f"{key}: expected first dimension num_nodes={n}, "
                                    f"given shape {list(value.shape)}")
        if isinstance(ei, Tensor) and ei.dim() == 2:
            for key in ("edge_attr", "edge_weight"):
                value = self.get(key)
                if isinstance(value, Tensor) and value.dim() > 0 and value.size(0) != ei.size(1):
                    problems.append(f"{key}: expected first dimension num_edges={ei.size(1)}, "
                                    f"given shape {list(value.shape)}")
        batch = self.get("batch")
        if isinstance(batch, Tensor) and batch.dtype != torch.long:
            problems.append(f"batch: expected dtype torch.int64 (a graph id per node), given "
                            f"{batch.dtype}")
        if problems and raise_on_error:
            raise ValueError(f"{type(self).__name__} is invalid ({len(problems)} problem"
                             f"{'s' if len(problems) > 1 else ''}):\n  - " + "\n  - ".join(problems))
        return not problems

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={describe(v)}" for k, v in self.items())
        return f"{type(self).__name__}({inner})"
