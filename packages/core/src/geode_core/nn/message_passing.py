"""``MessagePassing``: the base class of every graph convolution.

Contract (PyG-compatible): ``propagate(edge_index, size=None, **kwargs)`` calls
``message(...)`` per edge, ``aggregate(...)`` per destination and ``update(...)``. Arguments
of ``message`` named ``<name>_j`` are ``kwargs[name]`` gathered at each edge's source and
``<name>_i`` at its destination; a ``(x_src, x_dst)`` tuple supplies the two sides of a
bipartite graph. Other arguments are passed through unchanged (edge-level tensors in the
caller's edge order). ``edge_updater(edge_index, **kwargs)`` runs ``edge_update(...)`` with
the same argument lifting and returns one value per edge.

``edge_index`` may be a ``[2, E]`` tensor, an :class:`~geode_core.ops.Adjacency` or a torch
sparse CSR/CSC/COO tensor read as the transposed adjacency ``adj_t`` ``[num_dst, num_src]``.

Fusion is declared, never guessed: a layer whose message is linear in the source features
sets ``fused = True`` and implements ``message_and_aggregate(adj, ...)`` on the CSR
(:class:`geode_core.ops.Adjacency`). The fused path runs when the aggregation is a plain
sum or mean, no explanation mask is set and no message/aggregate hook is registered;
otherwise the per-edge path runs.

Explanation: ``layer._edge_mask`` (set by an explainer) multiplies every message. It has
one entry per edge the layer was given; a layer that appends one self-loop per node
(``add_self_loops=True``, loops appended after the caller's edges) has those loops weighted
by 1, unless the mask also covers them (``E + num_loops`` entries).
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor
from torch.utils.hooks import RemovableHandle

from geode_core.ops import Adjacency

from .aggr import MeanAggregation, SumAggregation, resolve_aggregation
from .graph_input import as_graph

_HOOK_POINTS = ("propagate", "message", "aggregate", "edge_update")


def _params(fn, skip: int) -> list[str]:
    params = list(inspect.signature(fn).parameters.values())[skip:]
    return [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


class MessagePassing(torch.nn.Module):
    """Base class: subclasses override ``message`` (and optionally the other steps).

    Args:
        aggr: a registered aggregation name (``"sum"``, ``"mean"``, ``"max"``, a plugin's
            name...), a list of names (multi-aggregation, provided by geode-aggr), or an
            :class:`~geode_core.nn.aggr.Aggregation`.
        aggr_kwargs: keyword arguments for the aggregation resolved from a name.
        flow: ``"source_to_target"`` (``edge_index[0]`` sends to ``edge_index[1]``) or
            ``"target_to_source"``.
        node_dim: the node axis of the node-level inputs.
        decomposed_layers: accepted for PyG compatibility; Geode runs one pass.
    """

    #: Declared by a subclass whose message is linear in the source features and which
    #: implements ``message_and_aggregate(adj, ...)``.
    fused: bool = False
    #: Declared by a layer that appends one self-loop per node after the caller's edges
    #: (layers with a true ``add_self_loops`` attribute count as declaring it).
    appends_self_loops: bool = False

    def __init__(self, aggr: Any = "sum", *, aggr_kwargs: dict | None = None,
                 flow: str = "source_to_target", node_dim: int = -2, decomposed_layers: int = 1):
        super().__init__()
        if flow not in ("source_to_target", "target_to_source"):
            raise ValueError(f"flow must be 'source_to_target' or 'target_to_source', got {flow!r}")
        self.aggr = aggr
        self.aggr_module = resolve_aggregation(aggr, **(aggr_kwargs or {}))
        self.flow = flow
        self.node_dim = node_dim
        self.decomposed_layers = decomposed_layers
        self._edge_mask: Tensor | None = None
        self._message_args = _params(self.message, 0)
        self._aggregate_args = _params(self.aggregate, 1)
        self._update_args = _params(self.update, 1)
        self._fused_args = _params(self.message_and_aggregate, 1)
        self._edge_update_args = _params(self.edge_update, 0)
        for point in _HOOK_POINTS:
            setattr(self, f"_{point}_forward_pre_hooks", OrderedDict())
            setattr(self, f"_{point}_forward_hooks", OrderedDict())

    # -- the steps ------------------------------------------------------------------
    def message(self, x_j: Tensor) -> Tensor:
        """The message along each edge; defaults to the source's features."""
        return x_j

    def aggregate(self, inputs: Tensor, index: Tensor, ptr: Tensor | None = None,
                  dim_size: int | None = None) -> Tensor:
        """Reduce messages per destination with the layer's aggregation module."""
        return self.aggr_module(inputs, index, ptr=ptr, dim_size=dim_size, dim=self.node_dim)

    def update(self, inputs: Tensor) -> Tensor:
        """Transform the aggregated result per node; identity by default."""
        return inputs

    def message_and_aggregate(self, adj: Adjacency) -> Tensor:
        """The fused message + aggregation on the CSR; layers with ``fused = True`` implement it."""
        raise NotImplementedError(f"{type(self).__name__} declares no fused path")

    def edge_update(self) -> Tensor:
        """Compute one value per edge; layers that call :meth:`edge_updater` override it."""
        raise TypeError(f"{type(self).__name__} calls edge_updater() but defines no edge_update()")

    # -- hooks ----------------------------------------------------------------------
    def _add_hook(self, point: str, kind: str, hook: Callable) -> RemovableHandle:
        hooks = getattr(self, f"_{point}_forward_{kind}hooks")
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    def register_propagate_forward_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (edge_index, size, kwargs))`` before propagate; may return new inputs."""
        return self._add_hook("propagate", "pre_", hook)

    def register_propagate_forward_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (edge_index, size, kwargs), out)`` after propagate; may return a new out."""
        return self._add_hook("propagate", "", hook)

    def register_message_forward_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (message_kwargs,))`` before message; may return new inputs."""
        return self._add_hook("message", "pre_", hook)

    def register_message_forward_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (message_kwargs,), out)`` after message; may return new messages."""
        return self._add_hook("message", "", hook)

    def register_aggregate_forward_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (aggregate_kwargs,))`` before aggregate; may return new inputs."""
        return self._add_hook("aggregate", "pre_", hook)

    def register_aggregate_forward_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (aggregate_kwargs,), out)`` after aggregate; may return a new out."""
        return self._add_hook("aggregate", "", hook)

    def register_edge_update_forward_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (edge_update_kwargs,))`` before edge_update; may return new inputs."""
        return self._add_hook("edge_update", "pre_", hook)

    def register_edge_update_forward_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, (edge_update_kwargs,), out)`` after edge_update; may return a new out."""
        return self._add_hook("edge_update", "", hook)

    def _call_step(self, point: str, fn: Callable, kwargs: dict, *lead: Any) -> Any:
        for hook in getattr(self, f"_{point}_forward_pre_hooks").values():
            res = hook(self, (kwargs,))
            if res is not None:
                kwargs = res[0] if isinstance(res, tuple) else res
        out = fn(*lead, **kwargs)
        for hook in getattr(self, f"_{point}_forward_hooks").values():
            res = hook(self, (kwargs,), out)
            if res is not None:
                out = res
        return out

    # -- helpers --------------------------------------------------------------------
    @property
    def fused_reduce(self) -> str | None:
        """``"sum"``/``"mean"`` when the aggregation is a plain one the CSR kernels run."""
        module = self.aggr_module
        if type(module) is SumAggregation:
            return "sum"
        if type(module) is MeanAggregation:
            return "mean"
        return None

    def _use_fused(self) -> bool:
        return (self.fused and self._edge_mask is None and self.fused_reduce is not None
                and not self._message_forward_pre_hooks and not self._message_forward_hooks
                and not self._aggregate_forward_pre_hooks and not self._aggregate_forward_hooks)

    def _node_dim(self, t: Tensor) -> int:
        return self.node_dim + t.dim() if self.node_dim < 0 else self.node_dim

    def _sizes(self, kwargs: dict, size, names: list[str]) -> list[int | None]:
        sizes: list[int | None] = [None, None] if size is None else [int(size[0]), int(size[1])]
        lifted = [n[:-2] for n in names if n.endswith(("_i", "_j")) and n[:-2] in kwargs]
        for name in [*lifted, "x"]:
            value = kwargs.get(name)
            parts = value if isinstance(value, (tuple, list)) else (value, value)
            for side, part in enumerate(parts[:2]):
                if isinstance(part, Tensor) and sizes[side] is None:
                    sizes[side] = part.size(self._node_dim(part))
        if sizes[0] is None:
            sizes[0] = sizes[1]
        if sizes[1] is None:
            sizes[1] = sizes[0]
        return sizes

    def adjacency(self, edge_index: Tensor | Adjacency, size=None, edge_weight: Tensor | None = None,
                  names: list[str] | None = None, **kwargs: Any) -> Adjacency:
        """The layer's CSR view of ``edge_index`` (cached per edge_index tensor)."""
        edge_index = as_graph(edge_index, self.flow)
        if isinstance(edge_index, Adjacency):
            return edge_index
        if self.flow == "target_to_source":
            edge_index = edge_index.flip(0)
        sizes = self._sizes(kwargs, size, self._message_args if names is None else names)
        if sizes[0] is None:
            return Adjacency.cached(edge_index, edge_weight)
        return Adjacency.cached(edge_index, edge_weight, (sizes[0], sizes[1]))

    def _collect(self, names: list[str], adj: Adjacency, kwargs: dict) -> dict[str, Any]:
        if adj.edge_index is None:
            raise ValueError("this Adjacency keeps no edge_index; build it with from_edge_index")
        num_src, num_dst = adj.size
        src, dst = adj.edge_index[0], adj.edge_index[1]
        special = {"edge_index": adj.edge_index, "edge_index_i": dst, "edge_index_j": src,
                   "index": dst, "ptr": None, "size": (num_src, num_dst), "size_i": num_dst,
                   "size_j": num_src, "dim_size": num_dst, "adj": adj}
        out: dict[str, Any] = {}
        for name in names:
            if name in kwargs:
                out[name] = kwargs[name]
            elif name in special:
                out[name] = special[name]
            elif name.endswith(("_i", "_j")) and name[:-2] in kwargs:
                value = kwargs[name[:-2]]
                j = name.endswith("_j")
                if isinstance(value, (tuple, list)):
                    value = value[0] if j else value[1]
                out[name] = None if value is None else \
                    value.index_select(self._node_dim(value), src if j else dst)
        return out

    def _masked(self, msg: Tensor, adj: Adjacency) -> Tensor:
        mask = self._edge_mask
        dim = self._node_dim(msg)
        extra = msg.size(dim) - mask.numel()
        if extra != 0:
            loops = self.appends_self_loops or getattr(self, "add_self_loops", False)
            if extra == min(adj.size) and loops:
                mask = torch.cat([mask, mask.new_ones(extra)])  # the loops the layer appended
            else:
                raise ValueError(
                    f"_edge_mask has {mask.numel()} entries but the layer sends "
                    f"{msg.size(dim)} messages"
                )
        shape = [1] * msg.dim()
        shape[dim] = -1
        return msg * mask.view(shape)

    # -- propagate ------------------------------------------------------------------
    def propagate(self, edge_index: Any, size=None, **kwargs: Any) -> Tensor:
        """Run message, aggregate and update over ``edge_index`` (tensor, Adjacency or sparse)."""
        for hook in self._propagate_forward_pre_hooks.values():
            res = hook(self, (edge_index, size, kwargs))
            if res is not None:
                edge_index, size, kwargs = res
        adj = self.adjacency(edge_index, size, **kwargs)
        if self._use_fused():
            args = {name: kwargs[name] for name in self._fused_args if name in kwargs}
            out = self.message_and_aggregate(adj, **args)
        else:
            msg = self._call_step("message", self.message,
                                  self._collect(self._message_args, adj, kwargs))
            if self._edge_mask is not None:
                msg = self._masked(msg, adj)
            aargs = self._collect(self._aggregate_args, adj, kwargs)
            out = self._call_step("aggregate", self.aggregate, aargs, msg)
        uargs = {name: kwargs[name] for name in self._update_args if name in kwargs}
        out = self.update(out, **uargs)
        for hook in self._propagate_forward_hooks.values():
            res = hook(self, (edge_index, size, kwargs), out)
            if res is not None:
                out = res
        return out

    def edge_updater(self, edge_index: Any, size=None, **kwargs: Any) -> Tensor:
        """Run ``edge_update(...)`` over the edges (``_i``/``_j`` lifting as for ``message``).

        The result has one row per edge in the order of the graph's ``edge_index``.
        """
        adj = self.adjacency(edge_index, size, names=self._edge_update_args, **kwargs)
        return self._call_step("edge_update", self.edge_update,
                               self._collect(self._edge_update_args, adj, kwargs))

    def __repr__(self) -> str:
        channels = ""
        if hasattr(self, "in_channels") and hasattr(self, "out_channels"):
            channels = f"{self.in_channels}, {self.out_channels}"
        return f"{type(self).__name__}({channels})"


__all__ = ["MessagePassing"]
