"""Build the mini-batch graph of a sample: slice node attributes by ``n_id`` and edge
attributes by ``e_id`` and attach the sampling bookkeeping."""

from __future__ import annotations

from typing import Any

from torch import Tensor

from geode_core.data import Data, HeteroData

from ..csr import CompressedGraph
from ..neighbor_sampling import SamplerOutput
from ..subgraph_types import induced_edges
from ..typed_sampling import HeteroSamplerOutput

__all__ = ["filter_data", "filter_hetero_data", "induced_data", "to_batch"]


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
    batch = HeteroData()
    for key, value in data._global.items():
        batch[key] = value
    for nt, n_id in out.n_id.items():
        store = batch[nt]
        store.n_id = n_id
        _slice_store(data[nt], store, n_id, int(data[nt].num_nodes or 0))
        store.num_sampled_nodes = out.num_sampled_nodes[nt]
        if out.batch is not None:
            store.batch = out.batch[nt]
    for et, ei in out.edge_index.items():
        store = batch[et]
        store.edge_index = ei
        _slice_store(data[et], store, out.e_id[et], data[et].num_edges)
        store.e_id = out.e_id[et]
        store.num_sampled_edges = out.num_sampled_edges[et]
    return batch


def induced_data(data: Data, csc: CompressedGraph, n_id: Tensor) -> Data:
    """The subgraph of ``data`` induced by the distinct nodes ``n_id`` (in that order)."""
    edge_index, e_id = induced_edges(csc, n_id, n_id)
    return filter_data(data, SamplerOutput(n_id, e_id, edge_index, [], []), counts=False)


def to_batch(data: Any, out: SamplerOutput | HeteroSamplerOutput):
    """Dispatch on the output kind."""
    if isinstance(out, HeteroSamplerOutput):
        return filter_hetero_data(data, out)
    return filter_data(data, out)
