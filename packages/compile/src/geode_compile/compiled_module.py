"""``compile``: torch.compile for Geode models, with node/edge dimensions marked dynamic."""

from __future__ import annotations

import builtins
import contextlib
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import torch
from torch import nn

from geode_core.ops import Adjacency

from .backends import resolve_backend
from .graphed import GraphedCalls
from .partition import with_partitioner


def _mark_graph_dims(value: Any) -> None:
    """Mark node dims (dim 0) and edge dims (dim 1 of [2, E] integer tensors) dynamic."""
    if isinstance(value, torch.Tensor):
        if value.dim() == 0:
            return
        is_index = not (value.is_floating_point() or value.is_complex() or value.dtype == torch.bool)
        if is_index and value.dim() == 2 and value.size(0) == 2:
            torch._dynamo.maybe_mark_dynamic(value, 1)  # edge_index-like [2, E]
        else:
            torch._dynamo.maybe_mark_dynamic(value, 0)  # node (or edge) rows
    elif isinstance(value, Mapping):
        for item in value.values():
            _mark_graph_dims(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _mark_graph_dims(item)
    elif hasattr(value, "to_dict") and callable(value.to_dict):  # Data-like containers
        with contextlib.suppress(Exception):  # a container that cannot list itself stays static
            _mark_graph_dims(value.to_dict())


class CompiledModule(nn.Module):
    """A compiled view of a module that is otherwise the module itself.

    Parameters and buffers are the original's, ``state_dict()`` has the original's keys (no
    ``_orig_mod.`` prefix), ``train()``/``eval()`` reach the original, and unknown attributes
    are looked up on it. Calls go through ``torch.compile``.
    """

    def __init__(self, module: nn.Module, compiled: Any, mark_dynamic: bool,
                 cuda_graphs: bool = False, graphed: bool = False):
        super().__init__()
        self._orig_mod = module
        # kept out of the module tree, so it adds no state_dict keys or children
        self.__dict__["_compiled"] = compiled
        self.__dict__["_mark_dynamic"] = mark_dynamic
        self.__dict__["_cuda_graphs"] = cuda_graphs
        self.__dict__["_graphed"] = GraphedCalls(module, compiled) if graphed else None
        self.__dict__["_primed"] = weakref.WeakSet()  # Adjacency arguments already primed

    @property
    def original(self) -> nn.Module:
        """The module that was compiled."""
        return self._orig_mod

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if self._cuda_graphs:
            self._prime_graph_caches(args, kwargs)
        if self._mark_dynamic:
            _mark_graph_dims(args)
            _mark_graph_dims(kwargs)
        if self._graphed is not None:
            return self._graphed(args, kwargs)
        return self._compiled(*args, **kwargs)

    def _prime_graph_caches(self, args: tuple, kwargs: dict) -> None:
        """Fill :class:`~geode_core.ops.Adjacency` caches with an eager, gradient-free call.

        What a graph derives once (normalised weights, GCN's self-loop graph) is kept on the
        Adjacency. Built inside a CUDA graph it would live in the graph's memory pool and be
        overwritten by the next replay, so with CUDA graphs it is built eagerly first: one
        forward in eval mode without gradients (no running statistics or dropout change),
        the first time this module sees an Adjacency argument (another model may have filled
        other entries of its cache already).
        """
        fresh = [a for a in (*args, *kwargs.values())
                 if isinstance(a, Adjacency) and a not in self._primed]
        if not fresh:
            return
        training = self._orig_mod.training
        self._orig_mod.eval()
        try:
            with torch.no_grad():
                self._orig_mod(*args, **kwargs)
        finally:
            self._orig_mod.train(training)
        self._primed.update(fresh)

    # -- the original's state, under its own names -------------------------------------
    def state_dict(self, *args: Any, **kwargs: Any):
        return self._orig_mod.state_dict(*args, **kwargs)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        return self._orig_mod.load_state_dict(state_dict, strict=strict, assign=assign)

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, nn.Parameter]]:
        return self._orig_mod.named_parameters(prefix, recurse, remove_duplicate)

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, torch.Tensor]]:
        return self._orig_mod.named_buffers(prefix, recurse, remove_duplicate)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(super().__getattr__("_orig_mod"), name)

    def __repr__(self) -> str:
        return f"CompiledModule({self._orig_mod!r})"


def compile(
    model: nn.Module,
    dynamic: bool | None = None,
    fullgraph: bool = False,
    mode: str | None = None,
    *,
    static_inputs: bool = False,
    **torch_compile_kwargs: Any,
) -> nn.Module:
    """Compile ``model`` with ``torch.compile`` and return a module that behaves like it.

    Arguments are ``torch.compile``'s. With ``dynamic=True`` the number of nodes (dim 0 of
    every tensor argument) and of edges (dim 1 of ``[2, E]`` integer tensors) are marked
    dynamic before each call, so mini-batches of varying size reuse one compiled graph;
    feature widths stay static, so kernels remain specialised for them. ``dynamic=False``
    and ``None`` are passed to ``torch.compile`` as given. With CUDA graphs
    (``mode="reduce-overhead"``), an :class:`~geode_core.ops.Adjacency` argument whose
    caches are empty is first run through the model eagerly, without gradients and in eval
    mode, so what the graph derives lives outside the CUDA-graph memory pool. A ``backend``
    name registered through ``geode_register_compile_backends`` is resolved through the
    Geode registry. With Inductor in its default mode, CPU graphs are partitioned without
    saving bool masks (see :mod:`geode_compile.partition`: Inductor's CPU mask stores made
    compiled steps slower than eager).

    ``static_inputs=True`` with CUDA graphs is for full-graph training, where every step
    passes the same Adjacency (and features of the same shape): training calls replay one
    captured forward and one captured backward graph of the compiled model (see
    :mod:`geode_compile.graphed`) instead of torch's CUDA-graph trees, whose guards and
    input copies cost more host time than the GPU work of a small graph. The outputs are
    overwritten by the next call, so run the backward before the next forward (a second
    forward first runs without CUDA graphs, with a warning). Calls without gradients, on
    CPU, or with tensor keyword arguments run the compiled model directly.

    A plain function is compiled with ``torch.compile`` and returned as is.
    """
    if "backend" in torch_compile_kwargs:
        torch_compile_kwargs["backend"] = resolve_backend(torch_compile_kwargs["backend"])
    if torch_compile_kwargs.get("backend", "inductor") == "inductor":
        options = with_partitioner(mode, torch_compile_kwargs.get("options"))
        if options is not None:
            torch_compile_kwargs["options"] = options
    torch_dynamic = None if dynamic is True else dynamic
    if not isinstance(model, nn.Module):
        if not builtins.callable(model):
            raise TypeError(f"compile: model must be an nn.Module or a callable, got {type(model).__name__}")
        return torch.compile(model, dynamic=dynamic, fullgraph=fullgraph, mode=mode,
                             **torch_compile_kwargs)
    options = torch_compile_kwargs.get("options") or {}
    cuda_graphs = mode in ("reduce-overhead", "max-autotune") or bool(options.get("triton.cudagraphs"))
    graphed = cuda_graphs and static_inputs
    if graphed:  # Geode captures the graphs itself; Inductor only generates the kernels
        mode = {"reduce-overhead": None, "max-autotune": "max-autotune-no-cudagraphs"}.get(mode, mode)
        if options:
            torch_compile_kwargs["options"] = {k: v for k, v in options.items() if k != "triton.cudagraphs"}
    compiled = torch.compile(model, dynamic=torch_dynamic, fullgraph=fullgraph, mode=mode,
                             **torch_compile_kwargs)
    return CompiledModule(model, compiled, mark_dynamic=dynamic is True, cuda_graphs=cuda_graphs,
                          graphed=graphed)
