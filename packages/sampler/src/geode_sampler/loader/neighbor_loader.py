"""``NeighborLoader``: node mini-batches by multi-hop neighbour sampling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import Tensor

from ..neighbor_sampler import NeighborSampler
from .base import build_sampler
from .node_loader import NodeLoader

__all__ = ["NeighborLoader"]


class NeighborLoader(NodeLoader):
    """Sample ``num_neighbors`` per hop around each mini-batch of ``input_nodes``.

    The arguments follow PyG's ``NeighborLoader``: ``num_neighbors`` (list, or dict per
    edge type; ``-1`` for all), ``replace``, ``subgraph_type``
    (``"directional"``/``"bidirectional"``/``"induced"``), ``disjoint``,
    ``temporal_strategy`` (``"uniform"``/``"last"``), ``time_attr`` with ``input_time``,
    ``weight_attr``, plus everything :class:`NodeLoader` takes. ``sampler`` picks another
    sampler: a name registered through ``geode_register_samplers``, a class (built as
    ``cls(data, num_neighbors=..., replace=..., ...)``) or a ready sampler object
    (``neighbor_sampler=`` is the PyG spelling of the latter); a
    ``torch.utils.data.Sampler`` (e.g. :class:`ImbalancedSampler`) instead orders the seeds.
    ``is_sorted`` is accepted for PyG compatibility and changes nothing: the compressed
    structure is always built with a stable sort.

    Example::

        loader = NeighborLoader(data, num_neighbors=[15, 10], batch_size=1024,
                                input_nodes=data.train_mask, shuffle=True)
        for batch in loader:
            out = model(batch.x, batch.edge_index)[:batch.batch_size]
    """

    def __init__(self, data, num_neighbors, input_nodes=None, input_time: Tensor | None = None,
                 replace: bool = False, subgraph_type: str = "directional", disjoint: bool = False,
                 temporal_strategy: str = "uniform", time_attr: str | None = None,
                 weight_attr: str | None = None, transform: Callable | None = None,
                 transform_sampler_output: Callable | None = None, filter_per_worker: bool | None = None,
                 neighbor_sampler=None, sampler=None, is_sorted: bool = False, **kwargs: Any):
        if input_time is not None and time_attr is None:
            raise ValueError("input_time needs time_attr (the attribute holding node or edge times)")
        chosen = build_sampler(
            data, neighbor_sampler, sampler, kwargs, NeighborSampler, num_neighbors=num_neighbors,
            replace=replace, subgraph_type=subgraph_type, disjoint=disjoint,
            temporal_strategy=temporal_strategy, time_attr=time_attr, weight_attr=weight_attr,
        )
        if isinstance(chosen, NeighborSampler) and input_time is None and chosen.temporal and not chosen.node_time:
            raise ValueError(f"time_attr {time_attr!r} holds edge times; give each seed a time with input_time")
        self.num_neighbors = num_neighbors
        super().__init__(data, chosen, input_nodes=input_nodes, input_time=input_time, transform=transform,
                         transform_sampler_output=transform_sampler_output,
                         filter_per_worker=filter_per_worker, **kwargs)
