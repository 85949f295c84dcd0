"""``MessagePassing``: the base class of every graph convolution.

Contract (PyG-compatible): ``propagate(edge_index, size=None, **kwargs)`` calls
``message(...)`` per edge, ``aggregate(...)`` per destination and ``update(...)``. Arguments
of ``message`` named ``<name>_j`` are ``kwargs[name]`` gathered at each edge's source and
``<name>_i`` at its destination; a ``(x_src, x_dst)`` tuple supplies the two sides of a
bipartite graph. Other arguments are passed through unchanged (edge-level tensors in the
caller's edge order).

Fusion is declared, never guessed: a layer whose message is linear in the source features
sets ``fused = True`` and implements ``message_and_aggregate(adj, ...)`` on the CSR
(:class:`geode_core.ops.Adjacency`). The fused path runs when the aggregation is a plain
sum or mean and no explanation mask is set; otherwise the per-edge path runs.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch
from torch import Tensor

from geode_core.ops import Adjacency

from .aggr import MeanAggregation, SumAggregation, resolve_aggregation

_SPECIAL = {"edge_index", "edge_index_i", "edge_index_j", "index", "ptr", "size", "size_i",
            "size_j", "dim_size", "adj", "inputs"}


def _params(fn, skip: int) -> list[str]:
    params = list(inspect.signature(fn).parameters.values())[skip:]
    return [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


class MessagePassing(torch.nn.Module):
    """Base class: subclasses override ``message`` (and optionally the other steps).

    Args:
        aggr: a registered aggregation name (``"sum"``, ``"mean"``, ``"max"``, a plugin's
            name...), a list of names, or an :class:`~geode_core.nn.aggr.Aggregation`.
        aggr_kwargs: keyword arguments for the aggregation resolved from a name.
        flow: ``"source_to_target"`` (``edge_index[0]`` sends to ``edge_index[1]``) or
            ``"target_to_source"``.
        node_dim: the node axis of the node-level inputs.
    """

    #: Declared by a subclass whose message is linear in the source features and which
    #: implements ``message_and_aggregate(adj, ...)``.
    fused: bool = False

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
        self._aggregate_args = [a for a in _params(self.aggregate, 1)]
        self._update_args = _params(self.update, 1)
        self._fused_args = _params(self.message_and_aggregate, 1)

    # -- the four steps -------------------------------------------------------------
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
        return self.fused and self._edge_mask is None and self.fused_reduce is not None

    def _explain_mask(self, num_messages: int, num_src: int, num_dst: int) -> Tensor:
        """The explanation mask over this call's messages.

        A mask over the input edges also fits a layer that adds self-loops: such layers
        append one loop per node after the input edges (``append_self_loops``), so the mask
        is padded with ones there and the loops are never masked out.
        """
        mask = self._edge_mask
        extra = num_messages - mask.numel()
        if extra == min(num_src, num_dst) and extra > 0:
            return torch.cat([mask, mask.new_ones(extra)])
        if extra != 0:
            raise ValueError(
                f"_edge_mask has {mask.numel()} entries but the layer sends {num_messages} "
                f"messages (expected one per input edge, plus one per node when the layer "
                f"adds self-loops)"
            )
        return mask

    def _node_dim(self, t: Tensor) -> int:
        return self.node_dim + t.dim() if self.node_dim < 0 else self.node_dim

    def _sizes(self, kwargs: dict, size) -> list[int | None]:
        sizes: list[int | None] = [None, None] if size is None else [int(size[0]), int(size[1])]
        for name in self._message_args:
            if name.endswith(("_i", "_j")) and name[:-2] in kwargs:
                value = kwargs[name[:-2]]
                side = 1 if name.endswith("_i") else 0
                if isinstance(value, (tuple, list)):
                    for s, part in enumerate(value):
                        if isinstance(part, Tensor) and sizes[s] is None:
                            sizes[s] = part.size(self._node_dim(part))
                elif isinstance(value, Tensor) and sizes[side] is None:
                    sizes[side] = value.size(self._node_dim(value))
        for name in ("x",):
            value = kwargs.get(name)
            if isinstance(value, Tensor):
                sizes = [s if s is not None else value.size(self._node_dim(value)) for s in sizes]
            elif isinstance(value, (tuple, list)):
                sizes = [s if s is not None or not isinstance(v, Tensor) else v.size(self._node_dim(v))
                         for s, v in zip(sizes, value)]
        if sizes[0] is None:
            sizes[0] = sizes[1]
        if sizes[1] is None:
            sizes[1] = sizes[0]
        return sizes

    def adjacency(self, edge_index: Tensor | Adjacency, size=None, edge_weight: Tensor | None = None,
                  **kwargs: Any) -> Adjacency:
        """The layer's CSR view of ``edge_index`` (cached per edge_index tensor)."""
        if isinstance(edge_index, Adjacency):
            return edge_index
        if self.flow == "target_to_source":
            edge_index = edge_index.flip(0)
        sizes = self._sizes(kwargs, size)
        if sizes[0] is None:
            return Adjacency.cached(edge_index, edge_weight)
        return Adjacency.cached(edge_index, edge_weight, (sizes[0], sizes[1]))

    # -- propagate ------------------------------------------------------------------
    def propagate(self, edge_index: Tensor | Adjacency, size=None, **kwargs: Any) -> Tensor:
        """Run message, aggregate and update over ``edge_index`` (a tensor or an Adjacency)."""
        adj = self.adjacency(edge_index, size, **kwargs)
        num_src, num_dst = adj.size
        if self._use_fused():
            args = {name: kwargs[name] for name in self._fused_args if name in kwargs}
            out = self.message_and_aggregate(adj, **args)
        else:
            if adj.edge_index is None:
                raise ValueError("this Adjacency keeps no edge_index; build it with from_edge_index")
            src, dst = adj.edge_index[0], adj.edge_index[1]
            special = {"edge_index": adj.edge_index, "edge_index_i": dst, "edge_index_j": src,
                       "index": dst, "ptr": None, "size": (num_src, num_dst), "size_i": num_dst,
                       "size_j": num_src, "dim_size": num_dst, "adj": adj}
            margs = {}
            for name in self._message_args:
                if name in kwargs:
                    margs[name] = kwargs[name]
                elif name in special:
                    margs[name] = special[name]
                elif name.endswith(("_i", "_j")) and name[:-2] in kwargs:
                    value = kwargs[name[:-2]]
                    j = name.endswith("_j")
                    if isinstance(value, (tuple, list)):
                        value = value[0] if j else value[1]
                    if value is None:
                        margs[name] = None
                        continue
                    margs[name] = value.index_select(self._node_dim(value), src if j else dst)
            msg = self.message(**margs)
            if self._edge_mask is not None:
                mask = self._explain_mask(msg.size(self._node_dim(msg)), num_src, num_dst)
                shape = [1] * msg.dim()
                shape[self._node_dim(msg)] = -1
                msg = msg * mask.view(shape)
            aargs = {name: kwargs[name] for name in self._aggregate_args if name in kwargs}
            for name in ("index", "ptr", "dim_size"):
                if name in self._aggregate_args:
                    aargs[name] = special[name]
            out = self.aggregate(msg, **aargs)
        uargs = {name: kwargs[name] for name in self._update_args if name in kwargs}
        return self.update(out, **uargs)

    def __repr__(self) -> str:
        channels = ""
        if hasattr(self, "in_channels") and hasattr(self, "out_channels"):
            channels = f"{self.in_channels}, {self.out_channels}"
        return f"{type(self).__name__}({channels})"


__all__ = ["MessagePassing"]
