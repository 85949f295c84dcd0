"""FixedSizeDataLoader: mini-batches of graphs padded to one fixed shape, with masks."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import torch.utils.data

from geode_core.data import Batch, Data, HeteroData

from .collater import FixedSizeCollater, greedy_fit
from .flat_batch import CombinedBatch, combine_batches
from .options import FixedSizeOptions
from .packing import StreamPackBatchSampler
from .poptorch_adapter import mini_batches_per_step
from .sizes import GraphSize, dataset_sizes
from .strategies import FIXED_SIZE_STRATEGIES, OVER_SIZE_STRATEGIES, check_strategy


class FixedSizeDataLoader(torch.utils.data.DataLoader):
    """Yield :class:`Batch` objects that all have the same tensor shapes.

    Args:
        dataset: graphs (:class:`~geode_core.data.Data`), or
            :class:`~geode_core.data.HeteroData` padded one per batch (``batch_size=2``) with
            per-type budgets and per-store masks.
        batch_size: graphs per batch *including* the padding graph (at least 2), so at most
            ``batch_size - 1`` real graphs per batch.
        shuffle: reshuffle every epoch (reproducibly when ``seed`` is given).
        fixed_size_options: the budgets; ``None`` computes ones that cannot overflow with
            :meth:`FixedSizeOptions.from_dataset`. ``num_graphs`` is ``batch_size``.
        fixed_size_strategy: ``"pad_to_max"`` takes ``batch_size - 1`` graphs per batch and
            pads them; ``"stream_pack"`` packs as many whole graphs as fit the budgets
            (at most ``batch_size - 1``), then pads.
        over_size_strategy: what to do with graphs that exceed the budgets: ``"error"``,
            ``"skip"``, ``"trim_nodes"``, ``"trim_edges"`` or ``"trim_nodes_and_edges"``.
        add_pad_masks: add ``nodes_mask``, ``edges_mask`` and ``graphs_mask`` (True = real).
        seed: seeds the shuffling and the trimming.
        options: :class:`~geode_ipu.IPUOptions` or a ``poptorch.Options``: each item is then a
            :class:`~geode_ipu.CombinedBatch` of ``mini_batches_per_step(options)``
            mini-batches (device iterations x replicas x gradient accumulation), ready for
            :func:`training_model`; an incomplete last group is dropped.
        follow_batch: as for :class:`geode_core.loader.DataLoader`.
        exclude_keys: as for :class:`geode_core.loader.DataLoader`.
        **kwargs: other ``torch.utils.data.DataLoader`` arguments (``num_workers``, ...).
    """

    def __init__(self, dataset: Sequence[Data | HeteroData], batch_size: int = 2, shuffle: bool = False,
                 fixed_size_options: FixedSizeOptions | None = None,
                 fixed_size_strategy: str = "pad_to_max", over_size_strategy: str = "error",
                 add_pad_masks: bool = True, follow_batch: Sequence[str] | None = None,
                 exclude_keys: Sequence[str] | None = None, seed: int | None = None,
                 options: Any = None, **kwargs: Any) -> None:
        for name in ("collate_fn", "batch_sampler", "sampler"):
            if name in kwargs:
                raise TypeError(f"FixedSizeDataLoader: {name} is set by the loader; "
                                f"use torch.utils.data.DataLoader for a custom one")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 2:
            raise ValueError(f"FixedSizeDataLoader: batch_size must be an int >= 2 (it counts the "
                             f"padding graph), got {batch_size!r}")
        self.fixed_size_strategy = check_strategy("fixed_size_strategy", fixed_size_strategy,
                                                  FIXED_SIZE_STRATEGIES)
        check_strategy("over_size_strategy", over_size_strategy, OVER_SIZE_STRATEGIES)
        self.over_size_strategy = over_size_strategy
        self.options = options
        self.batches_per_step = mini_batches_per_step(options)
        if fixed_size_options is None:
            fixed_size_options = FixedSizeOptions.from_dataset(dataset, batch_size)
        elif fixed_size_options.num_graphs != batch_size:
            warnings.warn(f"FixedSizeDataLoader: fixed_size_options.num_graphs="
                          f"{fixed_size_options.num_graphs} differs from batch_size={batch_size}; "
                          f"batches hold batch_size graphs", UserWarning, stacklevel=2)
            fixed_size_options = fixed_size_options._replace(num_graphs=batch_size)
        self.fixed_size_options = fixed_size_options
        self._order_generator = torch.Generator()
        self._order_generator.manual_seed(torch.initial_seed() if seed is None else int(seed))
        base = torch.utils.data.RandomSampler(dataset, generator=self._order_generator) if shuffle \
            else torch.utils.data.SequentialSampler(dataset)
        self._sizes: list[GraphSize] | None = None
        drop_last = kwargs.pop("drop_last", False)
        if self.fixed_size_strategy == "stream_pack":
            if drop_last:
                raise ValueError("FixedSizeDataLoader: drop_last=True applies to "
                                 "fixed_size_strategy='pad_to_max' only; packs vary in size")
            batch_sampler = StreamPackBatchSampler(self.graph_sizes(dataset), base,
                                                   fixed_size_options, over_size_strategy)
        else:
            batch_sampler = torch.utils.data.BatchSampler(base, batch_size - 1, drop_last=drop_last)
        collater = FixedSizeCollater(fixed_size_options, over_size_strategy, add_pad_masks,
                                     follow_batch, exclude_keys, seed)
        super().__init__(dataset, batch_sampler=batch_sampler, collate_fn=collater, **kwargs)

    def graph_sizes(self, dataset=None) -> list[GraphSize]:
        """Nodes and edges of every graph of the dataset (computed once)."""
        if self._sizes is None:
            self._sizes = dataset_sizes(self.dataset if dataset is None else dataset)
        return self._sizes

    def __iter__(self) -> Iterator[Batch | CombinedBatch]:
        group: list[Batch] = []
        for batch in super().__iter__():
            if batch is None:  # every graph of the batch was skipped
                continue
            if self.options is None:
                yield batch
                continue
            group.append(batch)
            if len(group) == self.batches_per_step:
                yield combine_batches(group)
                group = []

    def packing_efficiency(self) -> dict[str, float]:
        """Fraction of the node, edge and graph slots real data fills over one epoch.

        The epoch is planned from graph sizes alone (no collation, skipped graphs left
        out, trimmed ones counted at the budget); the shuffle state is left untouched.
        """
        if self.fixed_size_options.heterogeneous:
            raise ValueError("packing_efficiency: heterogeneous batches hold one graph each; "
                             "there is nothing to pack")
        state = self._order_generator.get_state()
        try:
            plans = list(self.batch_sampler)
        finally:
            self._order_generator.set_state(state)
        options, sizes = self.fixed_size_options, self.graph_sizes()
        max_nodes, max_edges = options.node_budget() - 1, options.edge_budget()
        nodes = edges = graphs = 0
        for plan in plans:
            kept = [sizes[i] for i in plan]
            if self.over_size_strategy == "skip":
                counts = [(s.nodes[None], s.edges[None]) for s in kept]
                kept = [kept[i] for i in greedy_fit(counts, max_nodes, max_edges)]
            nodes += min(sum(s.nodes[None] for s in kept), max_nodes)
            edges += min(sum(s.edges[None] for s in kept), max_edges)
            graphs += len(kept)
        batches = max(len(plans), 1)
        return {"nodes": nodes / (batches * options.node_budget()),
                "edges": edges / (batches * max(options.edge_budget(), 1)),
                "graphs": graphs / (batches * options.num_graphs),
                "batches": len(plans)}
