"""HeteroData: a graph with typed node and edge stores."""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import Tensor

from ..ops.adjacency import Adjacency
from .data import Data
from .data_stores import HeteroDataStoreMixin
from .storage import AttrStore, cached_adjacency, describe

EdgeType = tuple[str, str, str]


class NodeStore(AttrStore):
    """Attributes of one node type (``data['paper'].x``)."""

    @property
    def num_nodes(self) -> int | None:
        if "num_nodes" in self:
            return int(self["num_nodes"])
        for key, value in self.items():
            if isinstance(value, Tensor) and value.dim() > 0 and "index" not in key:
                return int(value.size(0))
        return None

    @num_nodes.setter
    def num_nodes(self, value: int) -> None:
        self._store["num_nodes"] = int(value)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k}={describe(v)}" for k, v in self.items()) + "}"


class EdgeStore(NodeStore):
    """Attributes of one edge type (``data['user', 'rates', 'movie'].edge_index``)."""

    @property
    def num_edges(self) -> int:
        ei = self.get("edge_index")
        return int(ei.size(1)) if isinstance(ei, Tensor) and ei.dim() == 2 else 0


class HeteroData(HeteroDataStoreMixin):
    """Heterogeneous graph: ``data[node_type]`` and ``data[src, rel, dst]`` stores.

    Also a feature store (groups are node types) and a graph store (keys are edge types).
    """

    def __init__(self, **kwargs: Any) -> None:
        self._nodes: dict[str, NodeStore] = {}
        self._edges: dict[EdgeType, EdgeStore] = {}
        self._global = AttrStore()
        for key, value in kwargs.items():
            if isinstance(value, dict):
                self[key].__dict__["_store"].update(value)
            else:
                setattr(self._global, key, value)

    # --- store access -------------------------------------------------------------------
    def _edge_key(self, key: tuple) -> EdgeType:
        if len(key) == 3 and all(isinstance(k, str) for k in key):
            return key  # type: ignore[return-value]
        if len(key) == 2:
            found = [et for et in self._edges if (et[0], et[2]) == key]
            if len(found) == 1:
                return found[0]
            if not found:
                return (key[0], "to", key[1])
            raise KeyError(f"HeteroData: edge type {key} is ambiguous; it matches {found}")
        raise KeyError(f"HeteroData: expected a node type str or (src, rel, dst) tuple, got {key!r}")

    def __getitem__(self, key: str | tuple) -> NodeStore | EdgeStore:
        if isinstance(key, str):
            if key not in self._nodes:
                self._nodes[key] = NodeStore()
            return self._nodes[key]
        et = self._edge_key(tuple(key))
        if et not in self._edges:
            self._edges[et] = EdgeStore()
        return self._edges[et]

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(key, str) and not isinstance(value, (NodeStore, dict)):
            setattr(self._global, key, value)
            return
        store = self[key]
        store.__dict__["_store"].clear()
        store.__dict__["_store"].update(value.to_dict() if isinstance(value, NodeStore) else value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self.__dict__.get("_global", {}):
            return self._global[name]
        if name in self.__dict__.get("_nodes", {}):
            return self._nodes[name]
        raise AttributeError(f"HeteroData has no attribute or node type {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._global, name, value)

    def __contains__(self, key) -> bool:
        return key in self._nodes or (isinstance(key, tuple) and tuple(key) in self._edges)

    # --- metadata -----------------------------------------------------------------------
    @property
    def node_types(self) -> list[str]:
        return list(self._nodes)

    @property
    def edge_types(self) -> list[EdgeType]:
        return list(self._edges)

    def metadata(self) -> tuple[list[str], list[EdgeType]]:
        return self.node_types, self.edge_types

    @property
    def node_stores(self) -> list[NodeStore]:
        return list(self._nodes.values())

    @property
    def edge_stores(self) -> list[EdgeStore]:
        return list(self._edges.values())

    def collect(self, key: str) -> dict:
        out: dict = {nt: s[key] for nt, s in self._nodes.items() if key in s}
        out.update({et: s[key] for et, s in self._edges.items() if key in s})
        return out

    @property
    def x_dict(self) -> dict[str, Tensor]:
        return self.collect("x")

    @property
    def y_dict(self) -> dict[str, Tensor]:
        return self.collect("y")

    @property
    def edge_index_dict(self) -> dict[EdgeType, Tensor]:
        return self.collect("edge_index")

    @property
    def edge_attr_dict(self) -> dict[EdgeType, Tensor]:
        return self.collect("edge_attr")

    @property
    def adj_t_dict(self) -> dict[EdgeType, Adjacency]:
        """Per edge type, the destination-sorted :class:`~geode_core.ops.Adjacency` of size
        ``(num_src_nodes, num_dst_nodes)``, built once and cached on the edge store (rebuilt
        when its ``edge_index`` is replaced or modified, or a node count changes)."""
        out = {}
        for (src, rel, dst), store in self._edges.items():
            ei = store.get("edge_index")
            if ei is None:
                continue
            size = (int(self[src].num_nodes or 0), int(self[dst].num_nodes or 0))
            out[(src, rel, dst)] = cached_adjacency(store, ei, size)
        return out

    @property
    def num_nodes(self) -> int:
        return sum(int(s.num_nodes or 0) for s in self._nodes.values())

    @property
    def num_edges(self) -> int:
        return sum(s.num_edges for s in self._edges.values())

    # --- tensor plumbing ----------------------------------------------------------------
    def apply(self, func, *keys: str) -> HeteroData:
        for store in [self._global, *self._nodes.values(), *self._edges.values()]:
            store.apply(func, *keys)
        return self

    def to(self, device, *keys: str, non_blocking: bool = False) -> HeteroData:
        return self.apply(lambda t: t.to(device, non_blocking=non_blocking), *keys)

    def cpu(self) -> HeteroData:
        return self.apply(lambda t: t.cpu())

    def cuda(self, device=None) -> HeteroData:
        return self.apply(lambda t: t.cuda(device))

    def pin_memory(self) -> HeteroData:
        return self.apply(lambda t: t.pin_memory())

    def __copy__(self) -> HeteroData:
        """A new graph whose stores are shallow copies (tensors shared, dicts not)."""
        out = type(self).__new__(type(self))
        out.__dict__.update(self.__dict__)
        out._global = copy.copy(self._global)
        out._nodes = {k: copy.copy(v) for k, v in self._nodes.items()}
        out._edges = {k: copy.copy(v) for k, v in self._edges.items()}
        return out

    def clone(self) -> HeteroData:
        return copy.deepcopy(self)

    # --- subgraphs ----------------------------------------------------------------------
    def subgraph(self, subset_dict: dict[str, Tensor]) -> HeteroData:
        """The graph induced by ``subset_dict`` (node type -> node indices or bool mask).

        Node types not in the dict keep all their nodes. Kept nodes are renumbered in their
        original order; an edge stays when both of its ends stay.
        """
        from ..utils import index_to_mask

        out = copy.copy(self)
        keep: dict[str, Tensor] = {}
        for nt, subset in subset_dict.items():
            if nt not in self._nodes:
                raise ValueError(f"HeteroData.subgraph: node type {nt!r} not in the graph; it has "
                                 f"{self.node_types}")
            n = int(self._nodes[nt].num_nodes or 0)
            if subset.dtype == torch.bool:
                if subset.numel() != n:
                    raise ValueError(f"HeteroData.subgraph: the mask for {nt!r} must have "
                                     f"num_nodes={n} entries, got {subset.numel()}")
                mask = subset
            else:
                mask = index_to_mask(subset.long(), n)
            keep[nt] = mask
            store = out[nt]
            for key, value in self._nodes[nt].items():
                if isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == n:
                    store[key] = value[mask]
            store.num_nodes = int(mask.sum())
        for et, edges in self._edges.items():
            ends = [(row, keep[nt]) for row, nt in ((0, et[0]), (1, et[2])) if nt in keep]
            ei = edges.get("edge_index")
            if not ends or ei is None:
                continue
            edge_mask = torch.ones(ei.size(1), dtype=torch.bool, device=ei.device)
            for row, mask in ends:
                edge_mask &= mask[ei[row]]
            new_ei = ei[:, edge_mask]
            for row, mask in ends:
                new_ei[row] = (mask.long().cumsum(0) - 1)[new_ei[row]]
            store = out[et]
            for key, value in edges.items():
                if key != "edge_index" and isinstance(value, Tensor) and value.dim() > 0 \
                        and value.size(0) == ei.size(1):
                    store[key] = value[edge_mask]
            store.edge_index = new_ei
        return out

    # --- checks and conversion ----------------------------------------------------------
    def validate(self, raise_on_error: bool = True) -> bool:
        """Check every edge type against the sizes of its end node types; report all problems."""
        problems: list[str] = []
        for et, store in self._edges.items():
            src, _, dst = et
            for end in (src, dst):
                if end not in self._nodes:
                    problems.append(f"{et}: node type {end!r} has no store; expected one of {self.node_types}")
            ei = store.get("edge_index")
            if ei is None:
                continue
            name = f"{et}.edge_index"
            if ei.dtype != torch.long:
                problems.append(f"{name}: expected dtype torch.int64, given {ei.dtype}")
            if ei.dim() != 2 or ei.size(0) != 2:
                problems.append(f"{name}: expected shape [2, num_edges], given {list(ei.shape)}")
                continue
            if ei.numel() == 0:
                continue
            if int(ei.min()) < 0:
                problems.append(f"{name}: expected non-negative indices, given minimum {int(ei.min())}")
            for row, nt in ((0, src), (1, dst)):
                n = self._nodes[nt].num_nodes if nt in self._nodes else None
                hi = int(ei[row].max())
                if n is not None and hi >= n:
                    problems.append(f"{name}: expected {('source', 'target')[row]} indices in "
                                    f"[0, {n}) for node type {nt!r}, given maximum {hi}")
        for nt, store in self._nodes.items():
            n = store.num_nodes
            for key, value in store.items():
                if isinstance(value, Tensor) and value.dim() > 0 and n is not None \
                        and value.size(0) != n:
                    problems.append(f"{nt!r}.{key}: expected first dimension num_nodes={n}, "
                                    f"given shape {list(value.shape)}")
        if problems and raise_on_error:
            raise ValueError("HeteroData is invalid:\n  - " + "\n  - ".join(problems))
        return not problems

    def to_homogeneous(self, add_node_type: bool = True, add_edge_type: bool = True) -> Data:
        """One graph whose nodes are the node types concatenated in :attr:`node_types` order.

        Attributes present in every node (edge) store with matching trailing shapes are
        concatenated; ``node_type`` / ``edge_type`` index into :attr:`node_types` /
        :attr:`edge_types`.
        """
        offsets, start = {}, 0
        for nt, store in self._nodes.items():
            offsets[nt] = start
            start += int(store.num_nodes or 0)
        data = Data()
        data.num_nodes = start
        node_keys = set.intersection(*(set(s.keys()) for s in self._nodes.values())) \
            if self._nodes else set()
        for key in sorted(node_keys - {"num_nodes"}):
            vals = [s[key] for s in self._nodes.values()]
            if all(isinstance(v, Tensor) and v.dim() > 0 for v in vals) and \
                    len({v.shape[1:] for v in vals}) == 1:
                data[key] = torch.cat(vals, 0)
        if add_node_type:
            data.node_type = torch.cat([torch.full((int(s.num_nodes or 0),), i, dtype=torch.long)
                                        for i, s in enumerate(self._nodes.values())]) \
                if self._nodes else torch.empty(0, dtype=torch.long)
        eis, types = [], []
        for i, (et, store) in enumerate(self._edges.items()):
            ei = store.get("edge_index")
            if ei is None:
                continue
            shift = torch.tensor([[offsets[et[0]]], [offsets[et[2]]]], device=ei.device)
            eis.append(ei + shift)
            types.append(torch.full((ei.size(1),), i, dtype=torch.long))
        data.edge_index = torch.cat(eis, 1) if eis else torch.empty(2, 0, dtype=torch.long)
        if add_edge_type:
            data.edge_type = torch.cat(types) if types else torch.empty(0, dtype=torch.long)
        if self._edges:
            edge_keys = set.intersection(*(set(s.keys()) for s in self._edges.values()))
            for key in sorted(edge_keys - {"edge_index", "num_nodes"}):
                vals = [s[key] for s in self._edges.values()]
                if all(isinstance(v, Tensor) and v.dim() > 0 for v in vals) and \
                        len({v.shape[1:] for v in vals}) == 1:
                    data[key] = torch.cat(vals, 0)
        return data

    def __repr__(self) -> str:
        parts = [f"  {k}={describe(v)}," for k, v in self._global.items()]
        parts += [f"  {nt}={s!r}," for nt, s in self._nodes.items()]
        parts += [f"  ({', '.join(et)})={s!r}," for et, s in self._edges.items()]
        return "HeteroData(\n" + "\n".join(parts) + "\n)" if parts else "HeteroData()"
