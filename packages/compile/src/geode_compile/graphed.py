"""Forward and backward replayed from CUDA graphs when a model's inputs stay the same.

``compile(model, mode="reduce-overhead", static_inputs=True)`` routes training calls here.
The compiled model (Inductor's kernels, no CUDA graphs of its own) is captured with
``torch.cuda.make_graphed_callables``: one graph for the forward, one for the backward,
joined by a single autograd node. A replay costs one graph launch each way, where torch's
CUDA-graph trees also evaluate guards and copy inputs on every call.

Tensor arguments are the graph's inputs (a new tensor of the same shape is copied in; the
same tensor is read in place); every other argument (an ``Adjacency``, a flag) is part of
the captured step, so a new one is captured again (up to ``MAX_CAPTURES`` per module).
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any

import torch
from torch import nn

#: captures kept per compiled module; beyond this, calls run the compiled model directly
MAX_CAPTURES = 8


class _BoundCall(nn.Module):
    """``call`` with its non-tensor arguments fixed: ``forward`` takes only the tensors."""

    def __init__(self, module: nn.Module, call: Any, args: tuple, kwargs: dict, slots: list[int]):
        super().__init__()
        self.module = module  # a child, so the model's parameters are this module's
        self.__dict__["_call"] = call
        self.__dict__["_args"], self.__dict__["_kwargs"], self.__dict__["_slots"] = args, kwargs, slots

    def forward(self, *tensors: torch.Tensor) -> Any:
        args = list(self._args)
        for slot, tensor in zip(self._slots, tensors):
            args[slot] = tensor
        return self._call(*args, **self._kwargs)


def _signature(module: nn.Module, args: tuple, kwargs: dict) -> tuple:
    parts = [module.training]
    for arg in args:
        if isinstance(arg, torch.Tensor):
            parts.append((tuple(arg.shape), arg.dtype, arg.device, arg.requires_grad))
        else:
            parts.append(id(arg))
    parts.extend((name, id(value)) for name, value in sorted(kwargs.items()))
    return tuple(parts)


class GraphedCalls:
    """Captured forward/backward pairs of one compiled module, one per call signature."""

    def __init__(self, module: nn.Module, call: Any):
        self.module, self.call = module, call
        self._captured: dict[tuple, Any] = {}
        self._pending: weakref.ref | None = None  # an output whose backward has not run

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        if (not torch.is_grad_enabled() or not tensors
                or any(t.device.type != "cuda" for t in tensors)
                or any(isinstance(v, torch.Tensor) for v in kwargs.values())):
            return self.call(*args, **kwargs)
        if self._pending is not None and self._pending() is not None:
            warnings.warn("geode.compile: a second forward ran before the first one's backward; "
                          "its CUDA graph would overwrite the activations that backward needs, "
                          "so this call runs without CUDA graphs", RuntimeWarning, stacklevel=3)
            return self.call(*args, **kwargs)
        key = _signature(self.module, args, kwargs)
        graphed = self._captured.get(key)
        if graphed is None:
            if len(self._captured) >= MAX_CAPTURES:
                return self.call(*args, **kwargs)
            slots = [i for i, a in enumerate(args) if isinstance(a, torch.Tensor)]
            bound = _BoundCall(self.module, self.call, args, kwargs, slots)
            graphed = torch.cuda.make_graphed_callables(bound, tuple(tensors),
                                                        allow_unused_input=True)
            self._captured[key] = graphed
        out = graphed(*tensors)
        self._watch(out)
        return out

    def _watch(self, out: Any) -> None:
        """Remember an output until its gradient has been computed (or it is dropped)."""
        leaves = [t for t in torch.utils._pytree.tree_leaves(out)
                  if isinstance(t, torch.Tensor) and t.requires_grad]
        if not leaves:
            self._pending = None
            return
        first = leaves[0]
        self._pending = weakref.ref(first)

        def done(grad: torch.Tensor) -> torch.Tensor:
            self._pending = None
            return grad

        first.register_hook(done)
