"""Conversions to and from networkx graphs and scipy sparse matrices.

networkx and scipy are not dependencies of geode-core: they are imported on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        top = module.split(".")[0]
        raise ImportError(f"this conversion needs {top}, which geode-core does not install: "
                          f"pip install {top}") from err


def to_scipy_sparse_matrix(edge_index: Tensor, edge_attr: Tensor | None = None,
                           num_nodes: int | None = None):
    """``scipy.sparse.coo_matrix`` of shape ``[N, N]``; entry ``(i, j)`` per edge ``i -> j``
    (weight ``edge_attr`` or 1; duplicates stay separate entries, summing on conversion)."""
    sp = _require("scipy.sparse")
    check_edge_index(edge_index)
    n = infer_num_nodes(edge_index, num_nodes)
    row, col = edge_index.cpu().numpy()
    if edge_attr is None:
        value = torch.ones(edge_index.size(1)).numpy()
    else:
        if edge_attr.dim() != 1 or edge_attr.numel() != edge_index.size(1):
            raise ValueError(f"to_scipy_sparse_matrix: edge_attr must have shape "
                             f"[{edge_index.size(1)}], got {list(edge_attr.shape)}")
        value = edge_attr.detach().cpu().numpy()
    return sp.coo_matrix((value, (row, col)), shape=(n, n))


def from_scipy_sparse_matrix(A) -> tuple[Tensor, Tensor]:
    """``(edge_index, edge_weight)`` of the stored entries of a scipy sparse matrix."""
    _require("scipy.sparse")
    coo = A.tocoo()
    edge_index = torch.stack([torch.from_numpy(coo.row).long(), torch.from_numpy(coo.col).long()])
    return edge_index, torch.from_numpy(coo.data)


def _plain(value: Any) -> Any:
    return value.tolist() if isinstance(value, Tensor) else value


def to_networkx(data, node_attrs: Iterable[str] | None = None,
                edge_attrs: Iterable[str] | None = None, graph_attrs: Iterable[str] | None = None,
                to_undirected: bool | str | None = False, to_multi: bool = False,
                remove_self_loops: bool = False):
    """A networkx graph with nodes ``0 .. num_nodes - 1`` and one edge per column of
    ``edge_index``, attributes copied as Python values (``tensor.tolist()``).

    ``to_undirected``: False gives a (Multi)DiGraph; True or ``'upper'`` a (Multi)Graph of
    the edges ``i <= j``; ``'lower'`` of the edges ``i >= j``.
    """
    nx = _require("networkx")
    if to_undirected not in (False, None, True, "upper", "lower"):
        raise ValueError(f"to_networkx: to_undirected must be a bool, 'upper' or 'lower', got "
                         f"{to_undirected!r}")
    undirected = bool(to_undirected)
    cls = {(False, False): nx.DiGraph, (False, True): nx.MultiDiGraph,
           (True, False): nx.Graph, (True, True): nx.MultiGraph}[(undirected, to_multi)]
    G = cls()
    n = int(data.num_nodes or 0)
    node_values = {key: _plain(data[key]) for key in node_attrs or ()}
    for i in range(n):
        G.add_node(i, **{key: values[i] for key, values in node_values.items()})
    edge_values = {key: _plain(data[key]) for key in edge_attrs or ()}
    ei = data.get("edge_index")
    for e, (i, j) in enumerate(ei.t().tolist() if ei is not None else []):
        if to_undirected in (True, "upper") and i > j:
            continue
        if to_undirected == "lower" and i < j:
            continue
        if remove_self_loops and i == j:
            continue
        G.add_edge(i, j, **{key: values[e] for key, values in edge_values.items()})
    for key in graph_attrs or ():
        G.graph[key] = _plain(data[key])
    return G


def _stack(values: list[Any]) -> Any:
    try:
        if all(isinstance(v, Tensor) for v in values):
            return torch.stack(values)
        return torch.tensor(values)
    except (TypeError, ValueError, RuntimeError):
        return values


def _group(data, keys: list[str], name: str) -> None:
    parts = []
    for key in keys:
        value = data[key]
        if not isinstance(value, Tensor):
            raise ValueError(f"from_networkx: attribute {key!r} is not numeric; it cannot be "
                             f"grouped into {name!r}")
        parts.append(value.view(-1, 1).float() if value.dim() <= 1 else value.float())
        del data[key]
    data[name] = torch.cat(parts, dim=-1) if parts else None


def from_networkx(G, group_node_attrs: list[str] | str | None = None,
                  group_edge_attrs: list[str] | str | None = None):
    """A :class:`~geode_core.data.Data` from a networkx graph.

    Nodes are renumbered ``0 .. N - 1`` in ``G.nodes`` order; an undirected graph gives
    both directions of every edge. Node, edge and graph attributes become tensors when
    they are numeric (lists otherwise). ``group_node_attrs`` / ``group_edge_attrs`` (names,
    or ``'all'``) are concatenated into ``x`` / ``edge_attr``.
    """
    _require("networkx")
    from ..data import Data

    index = {node: i for i, node in enumerate(G.nodes)}
    pairs = [(index[u], index[v], attrs) for u, v, attrs in G.edges(data=True)]
    if not G.is_directed():
        pairs += [(v, u, attrs) for u, v, attrs in pairs if u != v]
        pairs.sort(key=lambda p: (p[0], p[1]))
    if pairs:
        edge_index = torch.tensor([[u for u, _, _ in pairs], [v for _, v, _ in pairs]],
                                  dtype=torch.long)
    else:
        edge_index = torch.empty(2, 0, dtype=torch.long)
    data = Data(edge_index=edge_index)
    data.num_nodes = len(index)
    node_keys = sorted({k for _, attrs in G.nodes(data=True) for k in attrs})
    edge_keys = sorted({k for _, _, attrs in pairs for k in attrs})
    for key in node_keys:
        values = [attrs.get(key) for _, attrs in G.nodes(data=True)]
        if any(v is None for v in values):
            raise ValueError(f"from_networkx: node attribute {key!r} is missing on some nodes")
        data[key] = _stack(values)
    stored_edge_keys = []
    for key in edge_keys:
        values = [attrs.get(key) for _, _, attrs in pairs]
        if any(v is None for v in values):
            raise ValueError(f"from_networkx: edge attribute {key!r} is missing on some edges")
        name = f"edge_{key}" if key in node_keys or key in ("index", "num_nodes") else key
        data[name] = _stack(values)
        stored_edge_keys.append(name)
    for key, value in G.graph.items():
        data[key] = value
    if group_node_attrs is not None:
        _group(data, node_keys if group_node_attrs == "all" else list(group_node_attrs), "x")
    if group_edge_attrs is not None:
        _group(data, stored_edge_keys if group_edge_attrs == "all" else list(group_edge_attrs),
               "edge_attr")
    return data
