"""FixedSizeCollater: real graphs in, one padded fixed-size Batch out (or None when all skipped)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from geode_core.data import Batch, Data, HeteroData

from .graph_padding import pad_hetero_data
from .options import FixedSizeOptions
from .padding import pad_data_list
from .sizes import GraphSize
from .strategies import OVER_SIZE_STRATEGIES, check_strategy
from .trimming import trim_edges, trim_nodes


def greedy_fit(counts: Sequence[tuple[int, int]], max_nodes: int, max_edges: int) -> list[int]:
    """Positions of the ``(nodes, edges)`` items kept, in order, while they fit the budgets."""
    kept, nodes, edges = [], 0, 0
    for i, (n, e) in enumerate(counts):
        if nodes + n <= max_nodes and edges + e <= max_edges:
            kept.append(i)
            nodes, edges = nodes + n, edges + e
    return kept


class FixedSizeCollater:
    """Collate a list of graphs into a padded :class:`Batch` of fixed shape.

    Graphs that do not fit the budgets beside the padding graph are handled by
    ``over_size_strategy``: ``"error"`` raises; ``"skip"`` keeps the graphs that fit, in
    order, and drops the rest (``None`` when none fits); ``"trim_nodes"``/``"trim_edges"``/
    ``"trim_nodes_and_edges"`` remove random nodes/edges (reproducibly from ``seed``) and
    raise if the other budget is still exceeded.
    """

    def __init__(self, fixed_size_options: FixedSizeOptions, over_size_strategy: str = "error",
                 add_pad_masks: bool = True, follow_batch: Sequence[str] | None = None,
                 exclude_keys: Sequence[str] | None = None, seed: int | None = None):
        self.options = fixed_size_options
        self.over_size_strategy = check_strategy("over_size_strategy", over_size_strategy,
                                                 OVER_SIZE_STRATEGIES)
        self.add_pad_masks = add_pad_masks
        self.follow_batch = follow_batch
        self.exclude_keys = exclude_keys
        self.generator = torch.Generator()
        self.generator.manual_seed(torch.initial_seed() if seed is None else int(seed))

    def __call__(self, data_list: Sequence[Data]) -> Batch | HeteroData | None:
        if data_list and isinstance(data_list[0], HeteroData):
            return self._hetero(list(data_list))
        data_list = self.fit(list(data_list))
        if not data_list:
            return None
        return pad_data_list(data_list, self.options, self.add_pad_masks, self.follow_batch,
                             self.exclude_keys)

    def _hetero(self, data_list: list[HeteroData]) -> HeteroData | None:
        """One heterogeneous graph per batch (geode-core has no heterogeneous Batch)."""
        if len(data_list) != 1:
            raise ValueError(f"FixedSizeCollater: heterogeneous graphs are padded one per batch "
                             f"(batch_size=2), got {len(data_list)} graphs")
        if self.over_size_strategy not in ("error", "skip"):
            raise ValueError(f"FixedSizeCollater: over_size_strategy={self.over_size_strategy!r} "
                             f"is not available for heterogeneous graphs; use 'error' or 'skip'")
        data = data_list[0]
        if self.over_size_strategy == "skip" and not self.options.fits(GraphSize.of(data), 1):
            return None
        return pad_hetero_data(data, self.options, self.add_pad_masks)

    def fit(self, data_list: list[Data]) -> list[Data]:
        """Apply the over-size strategy so the graphs fit the budgets."""
        max_graphs = self.options.num_graphs - 1
        if len(data_list) > max_graphs:
            raise ValueError(f"FixedSizeCollater: {len(data_list)} graphs given but num_graphs="
                             f"{self.options.num_graphs} leaves room for {max_graphs} real graphs")
        max_nodes, max_edges = self.options.node_budget() - 1, self.options.edge_budget()
        size = sum((GraphSize.of(d) for d in data_list), GraphSize())
        nodes, edges = size.nodes.get(None, 0), size.edges.get(None, 0)
        if nodes <= max_nodes and edges <= max_edges:
            return data_list
        strategy = self.over_size_strategy
        if strategy == "skip":
            counts = [(int(d.num_nodes or 0), d.num_edges) for d in data_list]
            return [data_list[i] for i in greedy_fit(counts, max_nodes, max_edges)]
        if strategy in ("trim_nodes", "trim_nodes_and_edges"):
            data_list = trim_nodes(data_list, max_nodes, self.generator)
        if strategy in ("trim_edges", "trim_nodes_and_edges"):
            data_list = trim_edges(data_list, max_edges, self.generator)
        nodes = sum(int(d.num_nodes or 0) for d in data_list)
        edges = sum(d.num_edges for d in data_list)
        if nodes > max_nodes or edges > max_edges:
            hint = {"error": "use FixedSizeOptions.from_dataset for budgets that cannot overflow, "
                             "or pick an over_size_strategy",
                    "trim_nodes": "use over_size_strategy='trim_nodes_and_edges'",
                    "trim_edges": "use over_size_strategy='trim_nodes_and_edges'"}.get(strategy, "")
            raise ValueError(f"FixedSizeCollater: {len(data_list)} graphs have {nodes} nodes and "
                             f"{edges} edges (after over_size_strategy={strategy!r}); the budgets "
                             f"hold {max_nodes} real nodes (num_nodes={max_nodes + 1} minus one "
                             f"padding node) and {max_edges} edges; {hint}")
        return data_list
