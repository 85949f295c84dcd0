"""``LinkNeighborLoader``: link mini-batches by multi-hop neighbour sampling around both endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import Tensor

from ..neighbor_sampler import NeighborSampler
from .base import build_sampler
from .link_loader import LinkLoader

__all__ = ["LinkNeighborLoader"]


class LinkNeighborLoader(LinkLoader):
    """Sample ``num_neighbors`` per hop around the endpoints of each mini-batch of label edges.

    Takes PyG's ``LinkNeighborLoader`` arguments: the sampling options of
    :class:`NeighborLoader` (``num_neighbors``, ``replace``, ``subgraph_type``,
    ``disjoint``, ``temporal_strategy``, ``time_attr``, ``weight_attr``, ``sampler`` /
    ``neighbor_sampler``) and the link options of :class:`LinkLoader` (``edge_label_index``,
    ``edge_label``, ``edge_label_time``, ``neg_sampling``); ``is_sorted`` is accepted for
    PyG compatibility and changes nothing.

    Example::

        loader = LinkNeighborLoader(data, num_neighbors=[10, 5], batch_size=256,
                                    edge_label_index=train_edges, neg_sampling="binary")
        for batch in loader:
            h = model(batch.x, batch.edge_index)
            src, dst = batch.edge_label_index
            loss = bce((h[src] * h[dst]).sum(-1), batch.edge_label.float())
    """

    def __init__(self, data, num_neighbors, edge_label_index=None, edge_label: Tensor | None = None,
                 edge_label_time: Tensor | None = None, replace: bool = False,
                 subgraph_type: str = "directional", disjoint: bool = False,
                 temporal_strategy: str = "uniform", neg_sampling=None, neg_sampling_ratio: float | None = None,
                 time_attr: str | None = None, weight_attr: str | None = None,
                 transform: Callable | None = None, transform_sampler_output: Callable | None = None,
                 filter_per_worker: bool | None = None, neighbor_sampler=None, sampler=None,
                 is_sorted: bool = False, **kwargs: Any):
        if edge_label_time is not None and time_attr is None:
            raise ValueError("edge_label_time needs time_attr (the attribute holding node or edge times)")
        if time_attr is not None and edge_label_time is None:
            raise ValueError("temporal link sampling (time_attr) needs edge_label_time, the time of "
                             "each label edge")
        chosen = build_sampler(
            data, neighbor_sampler, sampler, kwargs, NeighborSampler, num_neighbors=num_neighbors,
            replace=replace, subgraph_type=subgraph_type, disjoint=disjoint,
            temporal_strategy=temporal_strategy, time_attr=time_attr, weight_attr=weight_attr,
        )
        self.num_neighbors = num_neighbors
        super().__init__(data, chosen, edge_label_index=edge_label_index, edge_label=edge_label,
                         edge_label_time=edge_label_time, neg_sampling=neg_sampling,
                         neg_sampling_ratio=neg_sampling_ratio, transform=transform,
                         transform_sampler_output=transform_sampler_output,
                         filter_per_worker=filter_per_worker, **kwargs)
