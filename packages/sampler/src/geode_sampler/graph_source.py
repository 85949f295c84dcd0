"""Read the structure a sampler needs (edges, sizes, weights, times) out of a graph input.

Accepted inputs: a plain ``edge_index`` tensor, :class:`geode_core.data.Data`,
:class:`geode_core.data.HeteroData` and a ``(FeatureStore, GraphStore)`` pair. Everything is returned per type: a homogeneous graph
is one node type ``"_"`` and one edge type ``("_", "_", "_")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from torch import Tensor

from geode_core.data import Data, HeteroData

from .store_source import EDGE, NODE, is_store_pair, store_structure

__all__ = ["EDGE", "NODE", "TypedGraph", "read_graph"]

EdgeType = tuple[str, str, str]


@dataclass
class TypedGraph:
    """``edge_index``/``weight``/``edge_time`` per edge type, ``num_nodes``/``node_time`` per node type."""

    num_nodes: dict[str, int]
    edge_index: dict[EdgeType, Tensor]
    weight: dict[EdgeType, Tensor]
    edge_time: dict[EdgeType, Tensor]
    node_time: dict[str, Tensor]
    is_hetero: bool
    csc: dict = field(default_factory=dict)  # ready CSC per edge type (store input)


def _edge_attr(store, attr: str | None, num_edges: int, what: str, where) -> Tensor | None:
    if attr is None or attr not in store:
        return None
    value = store[attr]
    if not isinstance(value, Tensor) or value.dim() != 1 or value.numel() != num_edges:
        raise ValueError(f"{what} {attr!r} of {where} must be a 1-D tensor with one entry per edge "
                         f"({num_edges}), got {getattr(value, 'shape', type(value).__name__)}")
    return value


def read_graph(data, num_nodes: int | None = None, weight_attr: str | None = None,
               time_attr: str | None = None) -> TypedGraph:
    """Structure of ``data``; ``time_attr`` names a node attribute (node time) or, failing
    that, an edge attribute (edge time)."""
    if is_store_pair(data):
        sizes, csc, weight, edge_time, node_time, is_hetero = store_structure(*data, weight_attr, time_attr)
        return TypedGraph(sizes, {}, weight, edge_time, node_time, is_hetero, csc)
    if isinstance(data, Tensor):
        data = Data(edge_index=data, num_nodes=num_nodes) if num_nodes is not None else Data(edge_index=data)
    if isinstance(data, Data):
        n = int(data.num_nodes or 0) if num_nodes is None else int(num_nodes)
        ei = data.get("edge_index")
        if ei is None:
            raise ValueError("data has no edge_index to sample from")
        e = int(ei.size(1))
        node_time, edge_time = {}, {}
        if time_attr is not None:
            if time_attr not in data:
                raise ValueError(f"time_attr {time_attr!r} is not an attribute of data")
            t = data[time_attr]
            if "edge" not in time_attr and t.dim() == 1 and t.numel() == n:
                node_time[NODE] = t
            elif t.dim() == 1 and t.numel() == e:
                edge_time[EDGE] = t
            else:
                raise ValueError(f"time_attr {time_attr!r} must have one entry per node ({n}) or per "
                                 f"edge ({e}), got shape {list(t.shape)}")
        w = _edge_attr(data, weight_attr, e, "weight_attr", "data")
        if weight_attr is not None and w is None:
            raise ValueError(f"weight_attr {weight_attr!r} is not an attribute of data")
        return TypedGraph({NODE: n}, {EDGE: ei}, {EDGE: w} if w is not None else {}, edge_time,
                          node_time, is_hetero=False)
    if isinstance(data, HeteroData):
        sizes = {nt: int(data[nt].num_nodes or 0) for nt in data.node_types}
        eis, weights, edge_time, node_time = {}, {}, {}, {}
        for et in data.edge_types:
            store = data[et]
            if "edge_index" not in store:
                continue
            eis[et] = store["edge_index"]
            w = _edge_attr(store, weight_attr, store.num_edges, "weight_attr", et)
            if w is not None:
                weights[et] = w
        if time_attr is not None:
            node_time = {nt: data[nt][time_attr] for nt in data.node_types if time_attr in data[nt]}
            if node_time:
                lacking = [nt for nt in data.node_types if nt not in node_time]
                if lacking:
                    raise ValueError(f"time_attr {time_attr!r} is a node attribute, but node types "
                                     f"{lacking} lack it; give every node type a time")
            else:
                for et in eis:
                    t = _edge_attr(data[et], time_attr, data[et].num_edges, "time_attr", et)
                    if t is None:
                        raise ValueError(f"time_attr {time_attr!r} is neither a node attribute nor an "
                                         f"attribute of edge type {et}")
                    edge_time[et] = t
        if weight_attr is not None and not weights:
            raise ValueError(f"weight_attr {weight_attr!r} is not an attribute of any edge type")
        return TypedGraph(sizes, eis, weights, edge_time, node_time, is_hetero=True)
    raise TypeError(f"data must be an edge_index tensor, Data, HeteroData or a (FeatureStore, GraphStore) "
                    f"pair, got {type(data).__name__}")
