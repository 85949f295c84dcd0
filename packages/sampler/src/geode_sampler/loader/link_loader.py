"""``LinkLoader``: mini-batches sampled around label edges (and negatives) by any link sampler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import Tensor

from geode_core.data import Data, HeteroData

from ..base import EdgeSamplerInput, NegativeSampling
from .base import SamplingLoader
from .filter import to_batch
from .inputs import check_per_input, resolve_edge_label_index

__all__ = ["LinkLoader"]

_TRIPLET_KEYS = {"src_index": 0, "dst_pos_index": 2, "dst_neg_index": 2}


class LinkBatcher:
    """Positions of ``edge_label_index`` -> sampler input -> sample -> mini-batch graph."""

    def __init__(self, data, sampler, edge_type, edge_label_index: Tensor, edge_label: Tensor | None,
                 edge_label_time: Tensor | None, neg_sampling: NegativeSampling | None,
                 transform_sampler_output: Callable | None):
        self.data, self.sampler, self.edge_type = data, sampler, edge_type
        self.edge_label_index, self.edge_label, self.edge_label_time = edge_label_index, edge_label, edge_label_time
        self.neg_sampling = neg_sampling
        self.transform_sampler_output = transform_sampler_output

    def sample(self, index: Tensor):
        inputs = EdgeSamplerInput(
            input_id=index,
            row=self.edge_label_index[0, index],
            col=self.edge_label_index[1, index],
            label=self.edge_label[index] if self.edge_label is not None else None,
            time=self.edge_label_time[index] if self.edge_label_time is not None else None,
            input_type=self.edge_type,
        )
        out = self.sampler.sample_from_edges(inputs, self.neg_sampling)
        return self.transform_sampler_output(out) if self.transform_sampler_output else out

    def finish(self, out, transform: Callable | None):
        batch = to_batch(self.data, out)
        meta = dict(out.metadata)
        et = self.edge_type
        store = batch[et] if et is not None else batch
        store.input_id = meta.pop("input_id")
        for key, value in meta.items():
            if key in _TRIPLET_KEYS and et is not None:
                batch[et[_TRIPLET_KEYS[key]]][key] = value
            else:
                store[key] = value
        return transform(batch) if transform is not None else batch


class LinkLoader(SamplingLoader):
    """Mini-batches of the subgraphs that ``link_sampler`` samples around label edges.

    Args:
        data: ``Data``, ``HeteroData`` or a ``(FeatureStore, GraphStore)`` pair.
        link_sampler: an object with ``sample_from_edges``.
        edge_label_index: ``[2, E]`` label edges, an edge type or ``(edge_type, [2, E] | None)``
            (default: every edge of ``data``).
        edge_label: one label per label edge (binary negatives: classes ``0..C-1``; after
            sampling, 0 means negative and ``c + 1`` a positive of class ``c``).
        edge_label_time: one time per label edge (temporal sampling: both endpoints are
            sampled as of that time).
        neg_sampling: ``NegativeSampling``, ``"binary"``, ``"triplet"`` or a dict of its
            arguments.
        neg_sampling_ratio: shorthand for binary negatives with that amount.
        transform: applied to every finished batch.
        transform_sampler_output: applied to every sampler output before the batch is built.
        filter_per_worker: as for :class:`NodeLoader`.
        **kwargs: ``batch_size``, ``shuffle``, ``num_workers`` and the other ``DataLoader`` options.

    Batches carry ``input_id`` (positions of the label edges), ``edge_label_index`` (local
    ids), ``edge_label`` and ``edge_label_time``, or for triplets ``src_index``,
    ``dst_pos_index`` and ``dst_neg_index`` (on the source / destination node stores of
    hetero batches), plus ``n_id``, ``e_id`` and the per-hop counts.
    """

    def __init__(self, data: Data | HeteroData | tuple, link_sampler: Any, edge_label_index: Any = None,
                 edge_label: Tensor | None = None, edge_label_time: Tensor | None = None,
                 neg_sampling: NegativeSampling | str | dict | None = None,
                 neg_sampling_ratio: float | None = None, transform: Callable | None = None,
                 transform_sampler_output: Callable | None = None, filter_per_worker: bool | None = None,
                 **kwargs: Any):
        edge_type, index = resolve_edge_label_index(data, edge_label_index)
        num = index.size(1)
        check_per_input("edge_label", edge_label, num)
        check_per_input("edge_label_time", edge_label_time, num)
        if neg_sampling is None and neg_sampling_ratio is not None and neg_sampling_ratio > 0:
            neg_sampling = NegativeSampling("binary", neg_sampling_ratio)
        neg_sampling = NegativeSampling.cast(neg_sampling)
        if neg_sampling is not None and neg_sampling.is_triplet() and edge_label is not None:
            raise ValueError("neg_sampling='triplet' takes no edge_label (every label edge is a positive)")
        self.link_sampler = link_sampler
        self.edge_type = edge_type
        self.neg_sampling = neg_sampling
        batcher = LinkBatcher(data, link_sampler, edge_type, index, edge_label, edge_label_time,
                              neg_sampling, transform_sampler_output)
        super().__init__(batcher, num, transform, filter_per_worker, **kwargs)
