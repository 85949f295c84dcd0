"""``to_hetero_with_bases``: a heterogeneous model sharing ``num_bases`` copies of each layer.

Instead of one layer per edge type (``to_hetero``), every message-passing layer becomes
``num_bases`` copies whose messages are weighted per edge type by learned coefficients
(``sum_b comp[edge_type, b] * message_b``), run once on the graph with all types merged. Node
features are merged by type (projected to a common size first where ``in_channels`` says so)
and the outputs split back per node type.
"""

from __future__ import annotations

import copy

import torch
from torch import Tensor, fx

from geode_core.nn import MessagePassing

from .keys import type_key
from .to_hetero import EDGE_INPUTS, ConversionError, _check_metadata, _trace


class BasisConv(torch.nn.Module):
    """``sum_b`` of ``num_bases`` copies of ``conv``, each copy's messages scaled by
    ``comp[edge_type, b]``."""

    def __init__(self, conv: MessagePassing, num_relations: int, num_bases: int):
        super().__init__()
        self.convs = torch.nn.ModuleList()
        for b in range(num_bases):
            clone = copy.deepcopy(conv)
            if b > 0 and hasattr(clone, "reset_parameters"):
                clone.reset_parameters()
            self.convs.append(clone)
        self.comp = torch.nn.Parameter(torch.empty(num_relations, num_bases))
        torch.nn.init.xavier_uniform_(self.comp)

    def forward(self, *args, edge_type: Tensor, **kwargs):
        out = None
        for b, conv in enumerate(self.convs):
            conv._edge_mask = self.comp[:, b].index_select(0, edge_type)
            try:
                part = conv(*args, **kwargs)
            finally:
                conv._edge_mask = None
            out = part if out is None else out + part
        return out


def _with_basis_convs(module: torch.nn.Module, num_relations: int, num_bases: int) -> fx.GraphModule:
    """The traced ``module`` with each message-passing call made a :class:`BasisConv` call
    that also receives the ``edge_type`` vector (a new last input)."""
    graph = _trace(module)
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    with graph.inserting_after(placeholders[-1]):
        edge_type = graph.placeholder("edge_type_vector")
    root = torch.nn.Module()
    for node in graph.nodes:
        if node.op == "call_module":
            sub = module.get_submodule(node.target)
            flat = node.target.replace(".", "_")
            if isinstance(sub, MessagePassing):
                root.add_module(flat, BasisConv(sub, num_relations, num_bases))
                node.kwargs = {**node.kwargs, "edge_type": edge_type}
            else:
                root.add_module(flat, sub)
            node.target = flat
        elif node.op == "get_attr":
            value = module
            for part in node.target.split("."):
                value = getattr(value, part)
            flat = "attr_" + node.target.replace(".", "_")
            setattr(root, flat, value)
            node.target = flat
    graph.lint()
    return fx.GraphModule(root, graph)


def _per_type(name: str, value: dict, types: list) -> list:
    missing = [t for t in types if t not in value]
    if missing:
        raise KeyError(f"to_hetero_with_bases: input {name!r} has no entry for types {missing}")
    return [value[t] for t in types]


class HeteroBasisModel(torch.nn.Module):
    """What :func:`to_hetero_with_bases` returns: merges per-type dicts, runs the shared-basis
    model, splits its node-level outputs back per node type."""

    def __init__(self, module, metadata, num_bases: int, in_channels: dict | None, input_map: dict | None):
        super().__init__()
        self.node_types, self.edge_types = list(metadata[0]), [tuple(e) for e in metadata[1]]
        self.inner = _with_basis_convs(module, len(self.edge_types), num_bases)
        names = [n.target for n in self.inner.graph.nodes if n.op == "placeholder"][:-1]
        input_map = dict(input_map or {})
        self.kinds = {n: input_map.get(n, "edge" if n in EDGE_INPUTS else "node") for n in names}
        in_channels = dict(in_channels or {})
        unknown = sorted(set(in_channels) - set(names))
        if unknown:
            raise ConversionError(f"to_hetero_with_bases: in_channels names {unknown}, which are not "
                                  f"inputs of {type(module).__name__} (inputs: {names})")
        self.projections = torch.nn.ModuleDict({
            name: torch.nn.ModuleDict({
                type_key(t): torch.nn.LazyLinear(size)
                for t in (self.node_types if self.kinds[name] == "node" else self.edge_types)})
            for name, size in in_channels.items()})

    def _merge(self, name: str, value: dict | None, offsets: dict):
        if value is None or self.kinds[name] is None:
            return value
        types = self.node_types if self.kinds[name] == "node" else self.edge_types
        parts = _per_type(name, value, types)
        if name in self.projections:
            parts = [self.projections[name][type_key(t)](p) for t, p in zip(types, parts)]
        if name == "edge_index":
            parts = [p + torch.tensor([[offsets[s]], [offsets[d]]], device=p.device)
                     for (s, _, d), p in zip(types, parts)]
            return torch.cat(parts, dim=1)
        return torch.cat(parts, dim=0)

    def forward(self, *args, **kwargs) -> dict:
        names = list(self.kinds)
        values = dict(zip(names, args), **kwargs)
        node_input = next(n for n in names if self.kinds[n] == "node" and values.get(n) is not None)
        counts = [v.size(0) for v in _per_type(node_input, values[node_input], self.node_types)]
        offsets, total = {}, 0
        for t, c in zip(self.node_types, counts):
            offsets[t] = total
            total += c
        edges = values["edge_index"]
        edge_type = torch.cat([torch.full((edges[e].size(1),), i, dtype=torch.long, device=edges[e].device)
                               for i, e in enumerate(self.edge_types)])
        merged = [self._merge(n, values.get(n), offsets) for n in names]
        out = self.inner(*merged, edge_type)
        return dict(zip(self.node_types, out.split(counts)))


def to_hetero_with_bases(module: torch.nn.Module, metadata: tuple[list, list], num_bases: int,
                         in_channels: dict | None = None, input_map: dict | None = None) -> HeteroBasisModel:
    """Convert ``module`` into a heterogeneous model whose message-passing layers are
    ``num_bases`` shared copies mixed per edge type by learned coefficients.

    Args:
        module: a homogeneous model (traceable by torch.fx, as for :func:`to_hetero`).
        metadata: ``(node_types, edge_types)``.
        num_bases: number of copies of each message-passing layer.
        in_channels: ``{input name: size}``: those inputs are first projected per type to
            ``size`` (a lazy linear layer per type), so types may differ in feature size. Other
            inputs must have one size across types.
        input_map: as for :func:`to_hetero`.

    The model's inputs are dicts (``x_dict``, ``edge_index_dict``, ...) and its output a dict
    per node type. Message-passing layers must send exactly one message per edge (turn off
    self-loop insertion, e.g. ``GATConv(..., add_self_loops=False)``).
    """
    if not isinstance(num_bases, int) or num_bases < 1:
        raise ValueError(f"to_hetero_with_bases: num_bases must be a positive int, got {num_bases!r}")
    _check_metadata(metadata)
    return HeteroBasisModel(module, metadata, num_bases, in_channels, input_map)


__all__ = ["to_hetero_with_bases"]
