"""Build the mini-batch graph of a sample: slice node attributes by ``n_id`` and edge
attributes by ``e_id`` and attach the sampling bookkeeping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import Tensor

from geode_core.data import Data, EdgeLayout, FeatureStore, HeteroData, TensorAttr

from ..csr import CompressedGraph
from ..neighbor_sampling import SamplerOutput
from ..store_source import is_store_pair, store_num_nodes
from ..subgraph_types import induced_edges
from ..typed_sampling import HeteroSamplerOutput

__all__ = ["filter_data", "filter_hetero_data", "filter_store", "induced_data", "to_batch"]


def _slice_store(src, dst, index: Tensor, count: int, skip=("edge_index",)) -> None:
    """Copy ``src``'s attributes into ``dst``, rows ``index`` of those with ``count`` rows."""
    for key, value in src.items():
        if key in skip or key == "num_nodes":
            continue
        if isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == count:
            dst[key] = value.index_select(0, index.to(value.device))
        else:
            dst[key] = value


def filter_data(data: Data, out: SamplerOutput, counts: bool = True) -> Data:
    """The sampled subgraph of a ``Data`` as a ``Data`` with ``n_id``/``e_id`` (and, with
    ``counts``, the per-hop ``num_sampled_nodes``/``num_sampled_edges``)."""
    e = data.num_edges
    batch = Data()
    batch.n_id = out.n_id
    for key, value in data.items():
        if key in ("edge_index", "num_nodes"):
            continue
        if not isinstance(value, Tensor) or value.dim() == 0:
            batch[key] = value
        elif data.is_node_attr(key):
            batch[key] = value.index_select(0, out.n_id.to(value.device))
        elif value.size(0) == e:
            batch[key] = value.index_select(0, out.e_id.to(value.device))
        else:
            batch[key] = value
    batch.edge_index = out.edge_index
    batch.e_id = out.e_id
    if counts:
        batch.num_sampled_nodes = out.num_sampled_nodes
        batch.num_sampled_edges = out.num_sampled_edges
    if out.batch is not None:
        batch.batch = out.batch
    return batch


def filter_hetero_data(data: HeteroData, out: HeteroSamplerOutput) -> HeteroData:
    """The sampled subgraph of a ``HeteroData`` with ``n_id``/``e_id``/counts per store."""
    batch = _hetero_batch(
        out,
        lambda nt, n_id, store: _slice_store(data[nt], store, n_id, int(data[nt].num_nodes or 0)),
        lambda et, e_id, store: _slice_store(data[et], store, e_id, data[et].num_edges),
    )
    for key, value in data._global.items():
        batch[key] = value
    return batch


def _hetero_batch(out: HeteroSamplerOutput, fill_nodes: Callable, fill_edges: Callable) -> HeteroData:
    """A ``HeteroData`` batch with the sample's bookkeeping; ``fill_nodes(nt, n_id, store)``
    and ``fill_edges(et, e_id, store)`` add the attributes."""
    batch = HeteroData()
    for nt, n_id in out.n_id.items():
        store = batch[nt]
        store.n_id = n_id
        fill_nodes(nt, n_id, store)
        store.num_sampled_nodes = out.num_sampled_nodes[nt]
        if out.batch is not None:
            store.batch = out.batch[nt]
    for et, ei in out.edge_index.items():
        store = batch[et]
        store.edge_index = ei
        fill_edges(et, out.e_id[et], store)
        store.e_id = out.e_id[et]
        store.num_sampled_edges = out.num_sampled_edges[et]
    return batch


def induced_data(data: Data, csc: CompressedGraph, n_id: Tensor) -> Data:
    """The subgraph of ``data`` induced by the distinct nodes ``n_id`` (in that order)."""
    edge_index, e_id = induced_edges(csc, n_id, n_id)
    return filter_data(data, SamplerOutput(n_id, e_id, edge_index, [], []), counts=False)


def _fetch(feature_store: FeatureStore, group, index: Tensor, rows: int | None, store) -> None:
    """Rows ``index`` of every tensor of ``group`` (with ``rows`` rows, if given) into ``store``."""
    attrs = [a for a in feature_store.get_all_tensor_attrs() if a.group_name == group
             and (rows is None or feature_store.get_tensor_size(a)[0] == rows)]
    values = feature_store.multi_get_tensor([TensorAttr(group, a.attr_name, index) for a in attrs])
    for a, v in zip(attrs, values):
        store[a.attr_name] = v


def _num_edges(graph_store) -> int:
    """Edges of a homogeneous graph store, read off the stored index without converting it."""
    attr = graph_store.get_all_edge_attrs()[0]
    first, second = graph_store.get_edge_index(attr)
    return int(second.numel() if attr.layout == EdgeLayout.CSR else first.numel())


def filter_store(feature_store: FeatureStore, graph_store, out) -> Data | HeteroData:
    """The batch of a sample from a ``(FeatureStore, GraphStore)`` pair: node tensors read at
    ``n_id``, edge tensors at ``e_id`` (in a homogeneous store, the tensors of group
    ``None`` with one row per edge)."""
    sizes = store_num_nodes(feature_store, graph_store)
    if isinstance(out, SamplerOutput):
        batch = Data()
        batch.n_id = out.n_id
        _fetch(feature_store, None, out.n_id, sizes.get(None, 0), batch)
        num_edges = _num_edges(graph_store)
        if num_edges != sizes.get(None, 0):
            _fetch(feature_store, None, out.e_id, num_edges, batch)
        batch.edge_index, batch.e_id = out.edge_index, out.e_id
        batch.num_sampled_nodes, batch.num_sampled_edges = out.num_sampled_nodes, out.num_sampled_edges
        if out.batch is not None:
            batch.batch = out.batch
        return batch
    return _hetero_batch(
        out,
        lambda nt, n_id, store: _fetch(feature_store, nt, n_id, sizes.get(nt, 0), store),
        lambda et, e_id, store: _fetch(feature_store, et, e_id, None, store),
    )


def to_batch(data: Any, out: SamplerOutput | HeteroSamplerOutput):
    """Dispatch on the input and output kinds."""
    if is_store_pair(data):
        return filter_store(*data, out)
    if isinstance(out, HeteroSamplerOutput):
        return filter_hetero_data(data, out)
    return filter_data(data, out)
