"""``to_hetero``: turn a homogeneous model into one that runs on per-type dicts, via torch.fx.

The model is traced with torch.fx (message-passing layers and modules holding none are leaves)
and its graph rewritten: every value computed from a node-level input becomes one value per
node type, every value from an edge-level input one per edge type. A message-passing layer
runs once per edge type (its own copy of the layer) and its results are combined per
destination node type; any other module runs once per type (its own copy); plain functions
and methods run per type. Values that depend on no typed input are computed once.
"""

from __future__ import annotations

import copy
import inspect
import warnings
from typing import Any

import torch
from torch import fx
from torch.fx.node import map_aggregate, map_arg

from geode_core.nn import MessagePassing
from geode_core.nn.conv import (
    APPNP,
    ChebConv,
    ClusterGCNConv,
    DirGNNConv,
    GatedGraphConv,
    GCN2Conv,
    GCNConv,
    GPSConv,
    LGConv,
    MixHopConv,
    PNAConv,
    SGConv,
    TAGConv,
)

from .fusion import fusable, rooted_group
from .grouping import group
from .keys import type_key

EDGE_INPUTS = ("edge_index", "edge_attr", "edge_weight", "edge_type")

#: layers whose math needs one node set (a square, GCN-normalised graph, or an update of the
#: sources' own features): they run only on edge types from a node type to itself
ONE_NODE_SET_LAYERS = (APPNP, ChebConv, ClusterGCNConv, DirGNNConv, GatedGraphConv, GCN2Conv,
                       GCNConv, GPSConv, LGConv, MixHopConv, PNAConv, SGConv, TAGConv)


class ConversionError(ValueError):
    """A model, or one of its layers, that ``to_hetero`` cannot convert (the message says why)."""


class _Typed:
    """A value of the traced model held once per node type (``kind="node"``) or edge type."""

    def __init__(self, kind: str, values: dict):
        self.kind, self.values = kind, values


def lookup(value_dict, key, name: str):
    """``value_dict[key]`` for the converted model's inputs, with an error naming what is missing."""
    if value_dict is None:
        return None
    if not isinstance(value_dict, dict):
        raise TypeError(f"converted model: input {name!r} must be a dict keyed by type, "
                        f"got {type(value_dict).__name__}")
    if key not in value_dict:
        raise KeyError(f"converted model: input {name!r} has no entry for type {key!r}")
    return value_dict[key]


def _holds_message_passing(module: torch.nn.Module) -> bool:
    return any(isinstance(m, MessagePassing) for m in module.modules())


class _Tracer(fx.Tracer):
    """Leaves: message-passing layers and every module without one inside."""

    def is_leaf_module(self, m: torch.nn.Module, qualname: str) -> bool:
        return isinstance(m, MessagePassing) or not _holds_message_passing(m)


def fixed_inputs(module: torch.nn.Module, input_map: dict) -> dict[str, None]:
    """The inputs traced at their default ``None``: every optional input (``batch=None``,
    ``num_sampled_nodes_per_hop=None``, ...) except the edge-level ones and those ``input_map``
    names, so that ``if batch is not None:`` in ``forward`` takes the branch a plain call takes."""
    return {name: None for name, p in inspect.signature(module.forward).parameters.items()
            if p.default is None and name not in EDGE_INPUTS and name not in input_map
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def check_fixed(value, name: str) -> None:
    """A converted model's input fixed to ``None`` at conversion must stay ``None``."""
    if value is not None:
        raise ValueError(f"converted model: input {name!r} was fixed to its default None when "
                         f"converting; pass input_map={{{name!r}: 'node'}} (or 'edge', or None for "
                         "an untyped value) to to_hetero to give it per type")


def _trace(module: torch.nn.Module, fixed: dict[str, None] | None = None) -> fx.Graph:
    try:
        return _Tracer().trace(module, concrete_args=fixed or None)
    except Exception as err:  # fx raises several types; all mean the same to the user
        raise ConversionError(
            f"to_hetero: cannot trace {type(module).__name__}: {err}. Python control flow that "
            "depends on input values (if/for on tensors) cannot be converted; move it into a "
            "submodule without message-passing layers, or build the model with HeteroConv"
        ) from err


def copy_attribute(module: torch.nn.Module, root: torch.nn.Module, target: str) -> str:
    """Put ``module``'s attribute at dotted ``target`` (a parameter, buffer or constant) on
    ``root`` under a flat name, which is returned."""
    flat = "attr_" + target.replace(".", "_")
    value = module
    for part in target.split("."):
        value = getattr(value, part)
    if isinstance(value, torch.nn.Parameter):
        root.register_parameter(flat, value)
    elif isinstance(value, torch.Tensor):
        root.register_buffer(flat, value)
    else:
        setattr(root, flat, value)
    return flat


def _typed_in(value) -> list[_Typed]:
    found: list[_Typed] = []
    map_aggregate(value, lambda a: found.append(a) if isinstance(a, _Typed) else a)
    return found


def _common_keys(typed: list[_Typed]) -> list:
    return [k for k in typed[0].values if all(k in t.values for t in typed[1:])]


def _select(value, key):
    return map_aggregate(value, lambda a: a.values[key] if isinstance(a, _Typed) else a)


class _Converter:
    def __init__(self, module, metadata, aggr, input_map):
        self.module = module
        self.node_types, self.edge_types = list(metadata[0]), [tuple(e) for e in metadata[1]]
        self.aggr, self.input_map = aggr, dict(input_map or {})
        self.graph = fx.Graph()
        self.root = torch.nn.Module()
        self.env: dict[fx.Node, Any] = {}
        self.fixed = fixed_inputs(module, self.input_map)

    # -- inputs and attributes ------------------------------------------------------
    def placeholder(self, node: fx.Node, name: str):
        if name in self.fixed:
            new = self.graph.placeholder(name, default_value=None)
            self.graph.call_function(check_fixed, (new, name))
            return new
        new = self.graph.placeholder(node.target, default_value=node.args[0] if node.args
                                     else inspect.Signature.empty)
        name = name.lstrip("*")
        kind = self.input_map.get(name, "edge" if name in EDGE_INPUTS else "node")
        if kind not in ("node", "edge", None):
            raise ConversionError(f"to_hetero: input_map[{name!r}] must be 'node', 'edge' or None, got {kind!r}")
        if kind is None:
            return new
        keys = self.node_types if kind == "node" else self.edge_types
        return _Typed(kind, {k: self.graph.call_function(lookup, (new, k, name)) for k in keys})

    def get_attr(self, node: fx.Node):
        return self.graph.get_attr(copy_attribute(self.module, self.root, node.target))

    # -- calls ----------------------------------------------------------------------
    def _kind_of(self, typed: list[_Typed], what: str) -> str:
        kinds = {t.kind for t in typed}
        if len(kinds) > 1:
            raise ConversionError(
                f"to_hetero: {what} combines node-level and edge-level values; only "
                "message-passing layers may take both (node features and edge_index)")
        return kinds.pop()

    def _per_type(self, args, kwargs, what: str, call) -> Any:
        typed = _typed_in((args, kwargs))
        if not typed:
            return call(None, args, kwargs)
        kind = self._kind_of(typed, what)
        return _Typed(kind, {k: call(k, _select(args, k), _select(kwargs, k)) for k in _common_keys(typed)})

    def _copies(self, target: str, module: torch.nn.Module, keys) -> str:
        flat = target.replace(".", "_")
        copies = torch.nn.ModuleDict()
        for i, key in enumerate(keys):
            clone = copy.deepcopy(module)
            if i > 0:
                for sub in clone.modules():
                    if hasattr(sub, "reset_parameters"):
                        sub.reset_parameters()
            copies[type_key(key)] = clone
        self.root.add_module(flat, copies)
        return flat

    def call_module(self, node: fx.Node, args, kwargs):
        module = self.module.get_submodule(node.target)
        what = f"layer {node.target!r} ({type(module).__name__})"
        if isinstance(module, MessagePassing):
            return self._message_passing(node.target, module, args, kwargs, what)
        typed = _typed_in((args, kwargs))
        if not typed:
            flat = node.target.replace(".", "_")
            self.root.add_module(flat, module)
            return self.graph.call_module(flat, args, kwargs)
        self._kind_of(typed, what)
        flat = self._copies(node.target, module, _common_keys(typed))
        return self._per_type(args, kwargs, what, lambda k, a, kw: self.graph.call_module(
            f"{flat}.{type_key(k)}", a, kw))

    def _message_passing(self, target, module, args, kwargs, what):
        typed = _typed_in((args, kwargs))
        if not any(t.kind == "edge" for t in typed):
            raise ConversionError(f"to_hetero: {what} receives no edge-level input (edge_index); "
                                  "a message-passing layer needs one to run per edge type")
        runs = []
        for edge_type in self.edge_types:
            src, _, dst = edge_type
            missing = [t for t in typed if (t.kind == "node" and src not in t.values)
                       or (t.kind == "edge" and edge_type not in t.values)]
            if missing:
                warnings.warn(f"to_hetero: {what} skips edge type {edge_type}: its source type has "
                              "no value at this point (it receives no messages earlier)", stacklevel=3)
                continue
            if src != dst and isinstance(module, ONE_NODE_SET_LAYERS):
                raise ConversionError(
                    f"to_hetero: {what} cannot run on edge type {edge_type}, which connects two "
                    f"node types: {type(module).__name__} needs one node set (no (source, "
                    "destination) pair). Use a layer that takes pairs (SAGEConv, GraphConv, "
                    "GATConv(add_self_loops=False), ...) or HeteroConv with a layer per edge type")
            runs.append(edge_type)
        flat = self._copies(target, module, runs)
        if self._fuse(module, runs, args, kwargs):
            return self._fused(flat, runs, args)
        results: dict = {}
        for edge_type in runs:
            src, _, dst = edge_type

            def pick(a, edge_type=edge_type, src=src, dst=dst):
                if not isinstance(a, _Typed):
                    return a
                if a.kind == "edge":
                    return a.values[edge_type]
                if src == dst:
                    return a.values[src]
                return a.values[src], a.values.get(dst)

            out = self.graph.call_module(f"{flat}.{type_key(edge_type)}", map_aggregate(args, pick),
                                         map_aggregate(kwargs, pick))
            results.setdefault(dst, []).append(out)
        return _Typed("node", {t: self.graph.call_function(group, (outs, self.aggr))
                               for t, outs in sorted(results.items(), key=lambda kv: self.node_types.index(kv[0]))})

    def _fuse(self, module, runs, args, kwargs) -> bool:
        """Whether the layer's edge types can run as one product per node type (see fusion):
        a fusable layer called as ``layer(x, edge_index)`` whose destinations all have features."""
        return (self.aggr in ("sum", "add", "mean") and fusable(module) and not kwargs
                and len(args) == 2 and isinstance(args[0], _Typed) and args[0].kind == "node"
                and isinstance(args[1], _Typed) and args[1].kind == "edge"
                and all(e[2] in args[0].values for e in runs))

    def _fused(self, flat: str, runs: list, args) -> _Typed:
        x, edge_index = args
        by_dst: dict = {}
        for edge_type in runs:
            by_dst.setdefault(edge_type[2], []).append(edge_type)
        out = {}
        for dst in [t for t in self.node_types if t in by_dst]:
            types = by_dst[dst]
            convs = [self.graph.get_attr(f"{flat}.{type_key(e)}") for e in types]
            out[dst] = self.graph.call_function(rooted_group, (
                convs, [x.values[e[0]] for e in types], x.values[dst],
                [edge_index.values[e] for e in types], self.aggr))
        return _Typed("node", out)

    def convert(self) -> fx.GraphModule:
        old = _trace(self.module, self.fixed)
        # fx makes one placeholder per forward parameter, in order (renaming fixed ones)
        names = iter(p.name if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) else None
                     for p in inspect.signature(self.module.forward).parameters.values())
        for node in old.nodes:
            if node.op == "call_function" and node.target is fx._symbolic_trace._assert_is_none:
                continue  # fx's check on a fixed input; ours (check_fixed) names the way out
            args = map_arg(node.args, lambda n: self.env[n])
            kwargs = map_arg(node.kwargs, lambda n: self.env[n])
            if node.op == "placeholder":
                self.env[node] = self.placeholder(node, next(names) or node.target)
            elif node.op == "get_attr":
                self.env[node] = self.get_attr(node)
            elif node.op == "call_module":
                self.env[node] = self.call_module(node, args, kwargs)
            elif node.op in ("call_function", "call_method"):
                name = getattr(node.target, "__name__", node.target)
                make = self.graph.call_function if node.op == "call_function" else self.graph.call_method
                self.env[node] = self._per_type(args, kwargs, f"{node.op} {name!r}",
                                                lambda k, a, kw, t=node.target, make=make: make(t, a, kw))
            elif node.op == "output":
                self.graph.output(map_aggregate(args[0], lambda a: dict(a.values) if isinstance(a, _Typed) else a))
        self.graph.lint()
        converted = fx.GraphModule(self.root, self.graph, class_name=f"Hetero{type(self.module).__name__}")
        for name, child in self.root.named_children():  # keep the per-type ModuleDicts indexable
            setattr(converted, name, child)
        return converted


def _check_metadata(metadata) -> None:
    if not (isinstance(metadata, (tuple, list)) and len(metadata) == 2):
        raise ValueError("to_hetero: metadata must be (node_types, edge_types), e.g. data.metadata()")
    for edge_type in metadata[1]:
        if not (isinstance(edge_type, tuple) and len(edge_type) == 3):
            raise ValueError(f"to_hetero: edge types must be (src, rel, dst) tuples, got {edge_type!r}")
        if edge_type[0] not in metadata[0] or edge_type[2] not in metadata[0]:
            raise ValueError(f"to_hetero: edge type {edge_type} names a node type not in metadata[0]")


def to_hetero(module: torch.nn.Module, metadata: tuple[list, list], aggr: str = "sum", input_map: dict | None = None,
              debug: bool = False) -> fx.GraphModule:
    """Convert a homogeneous ``module`` into one taking and returning per-type dicts.

    Args:
        module: a model built from Geode layers (skip connections, plain torch ops, pooling and
            modules such as JumpingKnowledge between them are fine).
        metadata: ``(node_types, edge_types)``, as ``HeteroData.metadata()`` returns.
        aggr: how the per-edge-type results of a message-passing layer combine per destination
            type: ``"sum"``, ``"mean"``, ``"max"``, ``"min"`` or ``"mul"``.
        input_map: ``{input name: "node" | "edge" | None}``; by default ``edge_index``,
            ``edge_attr``, ``edge_weight`` and ``edge_type`` are edge-level, ``None`` passes an
            input through untyped, and every other input is node-level.
        debug: print the converted graph.

    Copies of a layer for the second and later types get fresh parameters
    (``reset_parameters``); ``-1`` (lazy) input sizes are inferred per type on the first call.
    """
    if aggr not in ("sum", "add", "mean", "max", "min", "mul"):
        raise ValueError(f"to_hetero: aggr must be 'sum', 'mean', 'max', 'min' or 'mul', got {aggr!r}")
    _check_metadata(metadata)
    converted = _Converter(module, metadata, aggr, input_map).convert()
    if debug:
        print(converted.graph)
    return converted


__all__ = ["ConversionError", "to_hetero"]
