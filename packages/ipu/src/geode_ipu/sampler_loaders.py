"""Fixed-size versions of geode-sampler's NeighborLoader and ClusterLoader (when installed).

Every mini-batch is one sampled subgraph padded to the budgets with :func:`pad_data` (or
:func:`pad_hetero_data`): seed nodes stay first and ``batch_size`` keeps counting them.
Over-size subgraphs follow ``over_size_strategy`` (trimming never removes seeds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geode_core.data import HeteroData
from geode_sampler import ClusterLoader, NeighborLoader

from .collater import FixedSizeCollater
from .graph_padding import pad_data, pad_hetero_data
from .options import FixedSizeOptions

__all__ = ["FixedSizeNeighborLoader", "FixedSizeClusterLoader"]


class _PadSubgraph:
    """Transform: the user's transform, then the over-size strategy, then padding."""

    def __init__(self, options: FixedSizeOptions, over_size_strategy: str, add_pad_masks: bool,
                 seed: int | None, transform: Callable | None):
        if over_size_strategy == "skip":
            raise ValueError("over_size_strategy='skip' would drop a whole sampled batch and its "
                             "seed nodes; use 'error' or a trim strategy")
        self.collater = FixedSizeCollater(options._replace(num_graphs=2), over_size_strategy,
                                          add_pad_masks, seed=seed)
        self.transform = transform

    def __call__(self, data):
        if self.transform is not None:
            data = self.transform(data)
        if isinstance(data, HeteroData):
            return pad_hetero_data(data, self.collater.options, self.collater.add_pad_masks)
        fitted, = self.collater.fit([data])
        return pad_data(fitted, self.collater.options, self.collater.add_pad_masks)


def _options(options, make_plain_loader, sample_limit: int) -> FixedSizeOptions:
    if options is not None:
        return options
    return FixedSizeOptions.from_loader(make_plain_loader(), sample_limit=sample_limit)


class FixedSizeNeighborLoader(NeighborLoader):
    """:class:`geode_sampler.NeighborLoader` whose every batch has the same shapes.

    Args:
        data: as for ``NeighborLoader``.
        num_neighbors: as for ``NeighborLoader``.
        fixed_size_options: budgets; ``None`` takes the largest of ``sample_limit`` plain
            batches (:meth:`FixedSizeOptions.from_loader`), so a later batch may exceed them.
        over_size_strategy: for batches over the budgets: ``"trim_nodes_and_edges"``
            (default: random non-seed nodes and edges go, seeds stay), ``"trim_nodes"``,
            ``"trim_edges"`` or ``"error"``.
        sample_limit: batches inspected when ``fixed_size_options`` is None.
        add_pad_masks: add ``nodes_mask`` and ``edges_mask`` (True = real).
        seed: seeds the trimming.
        **kwargs: the other ``NeighborLoader`` arguments (``batch_size``, ``input_nodes``,
            ``shuffle``, ``transform``, ...).
    """

    def __init__(self, data: Any, num_neighbors: Any, fixed_size_options: FixedSizeOptions | None = None,
                 over_size_strategy: str = "trim_nodes_and_edges", add_pad_masks: bool = True,
                 seed: int | None = None, sample_limit: int = 100, **kwargs: Any):
        transform = kwargs.pop("transform", None)
        self.fixed_size_options = _options(
            fixed_size_options, lambda: NeighborLoader(data, num_neighbors, **kwargs), sample_limit)
        super().__init__(data, num_neighbors, transform=_PadSubgraph(
            self.fixed_size_options, over_size_strategy, add_pad_masks, seed, transform), **kwargs)


class FixedSizeClusterLoader(ClusterLoader):
    """:class:`geode_sampler.ClusterLoader` whose every batch has the same shapes.

    Arguments as for :class:`FixedSizeNeighborLoader`; ``**kwargs`` go to ``ClusterLoader``.
    """

    def __init__(self, cluster_data, fixed_size_options: FixedSizeOptions | None = None,
                 over_size_strategy: str = "trim_nodes_and_edges", add_pad_masks: bool = True,
                 seed: int | None = None, sample_limit: int = 100, **kwargs: Any):
        transform = kwargs.pop("transform", None)
        self.fixed_size_options = _options(
            fixed_size_options, lambda: ClusterLoader(cluster_data, **kwargs), sample_limit)
        super().__init__(cluster_data, transform=_PadSubgraph(
            self.fixed_size_options, over_size_strategy, add_pad_masks, seed, transform), **kwargs)
