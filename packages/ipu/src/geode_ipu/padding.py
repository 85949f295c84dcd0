"""Collate real graphs and padding graphs into one fixed-size Batch with masks.

Layout of every padded batch: the real graphs first, then one padding graph that holds
every padding node and padding edge, then empty padding graphs up to ``num_graphs``. The
padding edges run between padding nodes only, so no message ever reaches a real node.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor

from geode_core.data import Batch, Data
from geode_core.data.data import NODE_KEYS
from geode_core.data.storage import is_index_key

from .options import FixedSizeOptions

MASK_KEYS = ("nodes_mask", "edges_mask", "graphs_mask")


def _graph_level_value(key: str, value: Any, options: FixedSizeOptions) -> Any:
    if key in options.pad_graph_defaults:
        return options.pad_graph_defaults[key]
    if isinstance(value, Tensor) and not is_index_key(key):
        return torch.full_like(value, options.graph_pad_value)
    if isinstance(value, (bool, int, float)):
        return type(value)(options.graph_pad_value)
    raise ValueError(f"padding: cannot make a padding value for attribute {key!r} "
                     f"({type(value).__name__}); give one in "
                     f"FixedSizeOptions(pad_graph_defaults={{{key!r}: ...}})")


def padding_graph(template: Data, num_nodes: int, num_edges: int, options: FixedSizeOptions,
                  keys: Sequence[str], node_keys: set[str], edge_keys: set[str]) -> Data:
    """A graph with ``num_nodes`` nodes and ``num_edges`` edges among them, shaped like ``template``.

    Node- and edge-level tensors are filled with the node and edge pad values; other
    attributes take ``pad_graph_defaults`` or ``graph_pad_value``. Edge ``i`` is the
    self-loop of padding node ``i % num_nodes``.
    """
    if num_edges and not num_nodes:
        raise ValueError(f"padding: {num_edges} padding edges need at least one padding node")
    pad = type(template)()
    for key in keys:
        value = template[key]
        if key == "edge_index":
            ring = torch.arange(num_edges, device=value.device, dtype=value.dtype) % max(num_nodes, 1)
            pad[key] = torch.stack([ring, ring])
        elif key == "num_nodes":
            pad[key] = num_nodes
        elif key in node_keys:
            pad[key] = value.new_full((num_nodes, *value.shape[1:]), options.node_pad_value)
        elif key in edge_keys:
            pad[key] = value.new_full((num_edges, *value.shape[1:]), options.edge_pad_value)
        else:
            pad[key] = _graph_level_value(key, value, options)
    return pad


def sizes_need_num_nodes(template: Data) -> bool:
    """Whether the graphs' node counts come only from ``edge_index`` (none is stored)."""
    return "num_nodes" not in template and not any(
        isinstance(template.get(k), Tensor) and template.get(k).dim() > 0 for k in NODE_KEYS)


def pad_data_list(data_list: Sequence[Data], options: FixedSizeOptions, add_pad_masks: bool = True,
                  follow_batch: Sequence[str] | None = None,
                  exclude_keys: Sequence[str] | None = None) -> Batch:
    """One :class:`Batch` of exactly ``options.num_nodes`` nodes, ``num_edges`` edges and
    ``num_graphs`` graphs: the real graphs of ``data_list`` followed by padding graphs.

    With ``add_pad_masks`` the batch carries ``nodes_mask``, ``edges_mask`` and
    ``graphs_mask`` (True for real entries).
    """
    if options.heterogeneous:
        raise ValueError("pad_data_list: these options hold per-type budgets; homogeneous "
                         "graphs need int num_nodes / num_edges")
    data_list = list(data_list)
    if not data_list:
        raise ValueError("pad_data_list: data_list is empty; expected at least one real graph")
    num_real = len(data_list)
    real_nodes = sum(int(d.num_nodes or 0) for d in data_list)
    real_edges = sum(d.num_edges for d in data_list)
    budget_nodes, budget_edges = options.node_budget(), options.edge_budget()
    if num_real > options.num_graphs - 1 or real_nodes > budget_nodes - 1 or real_edges > budget_edges:
        raise ValueError(
            f"pad_data_list: {num_real} graphs with {real_nodes} nodes and {real_edges} edges do "
            f"not fit num_graphs={options.num_graphs}, num_nodes={budget_nodes}, "
            f"num_edges={budget_edges} (one graph and at least one node are kept for padding)")
    template = data_list[0]
    exclude = set(exclude_keys or ())
    keys = [k for k, _ in template if k not in exclude]
    if sizes_need_num_nodes(template):
        data_list = [copy.copy(d) for d in data_list]
        for d in data_list:
            d.num_nodes = d.num_nodes
        keys.append("num_nodes")
    if "edge_index" not in keys and budget_edges:
        raise ValueError(f"pad_data_list: the graphs have no edge_index but num_edges="
                         f"{budget_edges}; use FixedSizeOptions(num_edges=0) for edgeless graphs")
    # a key is node- (edge-) level only when it is in every graph: a graph-level y of a
    # one-node graph looks node-level on its own
    node_keys = {k for k in keys if all(d.is_node_attr(k) for d in data_list)}
    edge_keys = {k for k in keys if all(d.is_edge_attr(k) for d in data_list)}
    shape = (options, keys, node_keys, edge_keys)
    pads = [padding_graph(template, budget_nodes - real_nodes, budget_edges - real_edges, *shape)]
    pads += [padding_graph(template, 0, 0, *shape) for _ in range(options.num_graphs - num_real - 1)]
    batch = Batch.from_data_list(data_list + pads, follow_batch, list(exclude))
    if add_pad_masks:
        device = batch.batch.device
        batch.nodes_mask = torch.arange(budget_nodes, device=device) < real_nodes
        batch.edges_mask = torch.arange(budget_edges, device=device) < real_edges
        batch.graphs_mask = torch.arange(options.num_graphs, device=device) < num_real
    return batch
