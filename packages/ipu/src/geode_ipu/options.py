"""FixedSizeOptions: the node, edge and graph budgets every fixed-size batch is padded to."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

from .sizes import GraphSize, dataset_sizes


def _next_power_of_two(value: int) -> int:
    return 1 if value <= 1 else 1 << (int(value) - 1).bit_length()


def _check_budget(name: str, value: Any, minimum: int) -> None:
    values = value.values() if isinstance(value, dict) else [value]
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ValueError(f"FixedSizeOptions: {name} must be an int >= {minimum} "
                             f"(or a dict of them per type), got {value!r}")


class FixedSizeOptions:
    """Budgets for fixed-size batches: every batch has exactly these many nodes, edges, graphs.

    Args:
        num_nodes: nodes per batch, padding included (a dict per node type for HeteroData).
            The padding graph needs at least one node, so at most ``num_nodes - 1`` are real.
        num_edges: edges per batch, padding included (a dict per edge type for HeteroData).
            ``None`` allows a complete directed graph without self-loops on ``num_nodes``
            nodes: ``num_nodes * (num_nodes - 1)`` (per edge type: source x target nodes).
        num_graphs: graphs per batch, padding graphs included (at least 2).
        node_pad_value: fill value of padded node-level attributes.
        edge_pad_value: fill value of padded edge-level attributes.
        graph_pad_value: fill value of the padding graphs' graph-level attributes.
        pad_graph_defaults: ``{key: value}`` for attributes of the padding graphs that are
            neither node- nor edge-level tensors (strings, lists, custom graph attributes);
            these override ``graph_pad_value``.
    """

    def __init__(self, num_nodes: int | dict, num_edges: int | dict | None = None,
                 num_graphs: int = 2, node_pad_value: float = 0, edge_pad_value: float = 0,
                 graph_pad_value: float = 0, pad_graph_defaults: dict[str, Any] | None = None):
        _check_budget("num_nodes", num_nodes, 2)
        if num_edges is not None:
            _check_budget("num_edges", num_edges, 0)
        _check_budget("num_graphs", num_graphs, 2)
        self.num_nodes = num_nodes
        self.num_edges = num_edges
        self.num_graphs = num_graphs
        self.node_pad_value = node_pad_value
        self.edge_pad_value = edge_pad_value
        self.graph_pad_value = graph_pad_value
        self.pad_graph_defaults = dict(pad_graph_defaults or {})

    # -- budgets per type ---------------------------------------------------------------
    @property
    def heterogeneous(self) -> bool:
        return isinstance(self.num_nodes, dict)

    def node_budget(self, node_type=None) -> int:
        """Nodes per batch of ``node_type`` (``None`` for homogeneous options)."""
        if not self.heterogeneous:
            return self.num_nodes
        if node_type not in self.num_nodes:
            raise KeyError(f"FixedSizeOptions: no num_nodes budget for node type {node_type!r}; "
                           f"budgets exist for {sorted(self.num_nodes)}")
        return self.num_nodes[node_type]

    def edge_budget(self, edge_type=None) -> int:
        """Edges per batch of ``edge_type`` (``None`` for homogeneous options)."""
        if isinstance(self.num_edges, dict):
            if edge_type not in self.num_edges:
                raise KeyError(f"FixedSizeOptions: no num_edges budget for edge type "
                               f"{edge_type!r}; budgets exist for {sorted(self.num_edges)}")
            return self.num_edges[edge_type]
        if self.num_edges is not None and not self.heterogeneous:
            return self.num_edges
        if edge_type is None:
            return self.num_nodes * (self.num_nodes - 1)
        src, _, dst = edge_type
        return self.node_budget(src) * self.node_budget(dst)

    def fits(self, size: GraphSize, num_graphs: int) -> bool:
        """Whether ``num_graphs`` real graphs of total ``size`` fit beside the padding graph."""
        return (num_graphs <= self.num_graphs - 1
                and all(n <= self.node_budget(t) - 1 for t, n in size.nodes.items())
                and all(e <= self.edge_budget(t) for t, e in size.edges.items()))

    def power_of_two(self) -> FixedSizeOptions:
        """These options with every node and edge budget rounded up to a power of two."""
        def up(v):
            if v is None:
                return None
            return {k: _next_power_of_two(x) for k, x in v.items()} if isinstance(v, dict) \
                else _next_power_of_two(v)
        return self._replace(num_nodes=up(self.num_nodes), num_edges=up(self.num_edges))

    def _replace(self, **changes) -> FixedSizeOptions:
        args = dict(num_nodes=self.num_nodes, num_edges=self.num_edges, num_graphs=self.num_graphs,
                    node_pad_value=self.node_pad_value, edge_pad_value=self.edge_pad_value,
                    graph_pad_value=self.graph_pad_value, pad_graph_defaults=self.pad_graph_defaults)
        args.update(changes)
        return FixedSizeOptions(**args)

    # -- automatic budgets --------------------------------------------------------------
    @classmethod
    def from_dataset(cls, dataset, batch_size: int, sample_limit: int | None = None,
                     round_to_power_of_two: bool = False, **kwargs) -> FixedSizeOptions:
        """Budgets that no batch of ``batch_size - 1`` graphs of ``dataset`` can overflow.

        Each node and edge budget is the sum of the ``batch_size - 1`` largest graphs (per
        type), plus one node for the padding graph. With ``sample_limit`` only the first
        graphs are inspected, and the guarantee holds for those only.
        """
        if not isinstance(batch_size, int) or batch_size < 2:
            raise ValueError(f"FixedSizeOptions.from_dataset: batch_size must be an int >= 2 "
                             f"(it counts the padding graph), got {batch_size!r}")
        sizes = dataset_sizes(dataset, sample_limit)
        if not sizes:
            raise ValueError("FixedSizeOptions.from_dataset: dataset is empty")
        k = batch_size - 1

        def largest_sum(counts: Iterable[dict]) -> dict:
            per_type: dict[Any, list[int]] = {}
            for c in counts:
                for t, v in c.items():
                    per_type.setdefault(t, []).append(v)
            return {t: sum(heapq.nlargest(k, vs)) for t, vs in per_type.items()}

        nodes = {t: max(v + 1, 2) for t, v in largest_sum(s.nodes for s in sizes).items()}
        edges = largest_sum(s.edges for s in sizes)
        return cls._from_counts(nodes, edges, batch_size, round_to_power_of_two, kwargs)

    @classmethod
    def from_loader(cls, loader, sample_limit: int = 1000, round_to_power_of_two: bool = False,
                    **kwargs) -> FixedSizeOptions:
        """Budgets from the largest of the first ``sample_limit`` batches ``loader`` yields.

        Batches not inspected may still overflow these budgets; pick an ``over_size_strategy``
        for them, or use :meth:`from_dataset` for a guarantee.
        """
        total: list[GraphSize] = []
        graphs = 0
        for i, batch in enumerate(loader):
            if i >= sample_limit:
                break
            total.append(GraphSize.of(batch))
            graphs = max(graphs, int(getattr(batch, "num_graphs", 1)))
        if not total:
            raise ValueError("FixedSizeOptions.from_loader: the loader yielded no batch")
        nodes = {t: max(2, max(s.nodes.get(t, 0) for s in total) + 1) for t in total[0].nodes}
        edges = {t: max(s.edges.get(t, 0) for s in total) for t in total[0].edges}
        return cls._from_counts(nodes, edges, graphs + 1, round_to_power_of_two, kwargs)

    @classmethod
    def _from_counts(cls, nodes: dict, edges: dict, num_graphs: int, power_of_two: bool,
                     kwargs: dict) -> FixedSizeOptions:
        homogeneous = list(nodes) == [None]
        options = cls(num_nodes=nodes[None] if homogeneous else nodes,
                      num_edges=edges.get(None, 0) if homogeneous else edges,
                      num_graphs=num_graphs, **kwargs)
        return options.power_of_two() if power_of_two else options

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FixedSizeOptions) and vars(self) == vars(other)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                          if not (k == "pad_graph_defaults" and not v))
        return f"FixedSizeOptions({inner})"
