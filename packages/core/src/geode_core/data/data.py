"""Data: one homogeneous graph with arbitrary named attributes."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from .data_stores import DataStoreMixin
from .storage import AttrStore, describe, infer_num_nodes, is_edge_key, is_index_key

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
        return int(ei.size(1)) if isinstance(ei, Tensor) and ei.dim() == 2 else 0

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
        ea = self.get("edge_attr")
        if isinstance(ea, Tensor) and isinstance(ei, Tensor) and ei.dim() == 2 \
                and ea.dim() > 0 and ea.size(0) != ei.size(1):
            problems.append(f"edge_attr: expected first dimension num_edges={ei.size(1)}, "
                            f"given shape {list(ea.shape)}")
        if problems and raise_on_error:
            raise ValueError(f"{type(self).__name__} is invalid ({len(problems)} problem"
                             f"{'s' if len(problems) > 1 else ''}):\n  - " + "\n  - ".join(problems))
        return not problems

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={describe(v)}" for k, v in self.items())
        return f"{type(self).__name__}({inner})"
