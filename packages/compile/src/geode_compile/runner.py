"""``StaticStepRunner``: a whole training step captured once in a CUDA graph and replayed."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import torch


class ShapeMismatchError(ValueError):
    """A batch does not match the shapes and dtypes the runner was captured with."""


def _spec(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return ("tensor", tuple(value.shape), value.dtype)
    return ("value", value)


def _describe(spec: Any) -> str:
    if spec[0] == "tensor":
        return f"tensor of shape {list(spec[1])} and dtype {spec[2]}"
    return f"value {spec[1]!r}"


class StaticStepRunner:
    """Run ``step_fn(*inputs)`` (forward, backward and optimizer step) at one fixed shape.

    On CUDA the step is warmed up on a side stream, then captured in a
    :class:`torch.cuda.CUDAGraph` reading from static input buffers; each call copies the
    batch into those buffers and replays the graph, returning the captured outputs (the
    same tensors each time: clone them to keep a value across steps). Optimizers must be
    built with ``capturable=True`` where they offer it, and ``step_fn`` must not synchronise
    with the host (no ``.item()``, no printing of tensors).

    The warm-up steps run ``step_fn`` for real (``warmup_steps`` times on the first batch),
    so they update the parameters like ordinary steps would.

    On CPU (or when CUDA is absent) the step runs eagerly with the same shape checks, so
    the code path is the same on every machine.

    A batch whose tensor shapes or dtypes (or non-tensor arguments) differ from
    ``example_inputs`` raises :class:`ShapeMismatchError`; with ``fallback=True`` it runs
    eagerly instead, with a warning. Pad batches to a fixed size to stay on the graph.
    """

    def __init__(self, step_fn: Callable[..., Any], example_inputs: Sequence[Any], *,
                 fallback: bool = False, warmup_steps: int = 3,
                 device: torch.device | str | None = None):
        if not callable(step_fn):
            raise TypeError(f"StaticStepRunner: step_fn must be callable, got {type(step_fn).__name__}")
        if isinstance(example_inputs, torch.Tensor) or not isinstance(example_inputs, (list, tuple)):
            raise TypeError("StaticStepRunner: example_inputs must be a tuple or list of step arguments, "
                            f"got {type(example_inputs).__name__}")
        if warmup_steps < 1:
            raise ValueError(f"StaticStepRunner: warmup_steps must be >= 1, got {warmup_steps}")
        self.step_fn = step_fn
        self.fallback = fallback
        self.warmup_steps = warmup_steps
        self._specs = [_spec(v) for v in example_inputs]
        if device is None:
            tensors = [v for v in example_inputs if isinstance(v, torch.Tensor)]
            device = tensors[0].device if tensors else torch.device("cpu")
        self.device = torch.device(device)
        self.graph: torch.cuda.CUDAGraph | None = None
        self._static_inputs: list[Any] | None = None
        self._static_outputs: Any = None
        self.use_graph = self.device.type == "cuda" and torch.cuda.is_available()

    @property
    def captured(self) -> bool:
        """Whether a CUDA graph has been captured (only on CUDA, after the first call)."""
        return self.graph is not None

    def _mismatch(self, inputs: Sequence[Any]) -> str | None:
        if len(inputs) != len(self._specs):
            return f"expected {len(self._specs)} arguments, got {len(inputs)}"
        for i, (value, spec) in enumerate(zip(inputs, self._specs)):
            got = _spec(value)
            if got != spec:
                return f"argument {i}: expected {_describe(spec)}, got {_describe(got)}"
        return None

    def _capture(self, inputs: Sequence[Any]) -> None:
        static = [v.detach().clone() if isinstance(v, torch.Tensor) else v for v in inputs]
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(self.warmup_steps):
                self.step_fn(*static)
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            outputs = self.step_fn(*static)
        self.graph, self._static_inputs, self._static_outputs = graph, static, outputs

    def __call__(self, *inputs: Any) -> Any:
        problem = self._mismatch(inputs)
        if problem is not None:
            message = (f"StaticStepRunner: batch does not match the captured step ({problem}); "
                       "pad batches to the captured shapes")
            if not self.fallback:
                raise ShapeMismatchError(message)
            warnings.warn(message + "; running this step eagerly", RuntimeWarning, stacklevel=2)
            return self.step_fn(*inputs)
        if not self.use_graph:
            return self.step_fn(*inputs)
        if self.graph is None:
            # warm-up steps run on copies of this batch, then the capture; the captured
            # step has not run this batch yet, so replay it below like any other batch
            self._capture(inputs)
        for buffer, value in zip(self._static_inputs, inputs):
            if isinstance(buffer, torch.Tensor):
                buffer.copy_(value, non_blocking=True)
        self.graph.replay()
        return self._static_outputs
