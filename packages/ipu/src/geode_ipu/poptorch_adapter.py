"""PopTorch adapter: Geode models on Graphcore IPUs, imported only when asked for.

``training_model``/``inference_model`` wrap PopTorch's ``trainingModel``/``inferenceModel``
around a module that takes a batch's flat tensors and rebuilds the batch for the user's
model; :class:`IPUOptions` maps device iterations, replication and gradient accumulation;
``mini_batches_per_step`` says how many fixed-size mini-batches one step consumes (the
collater combines that many, see ``FixedSizeDataLoader(options=...)``).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from typing import Any

import torch

from geode_core.data import Data

from .flat_batch import BatchLayout, CombinedBatch, flatten_batch


@functools.cache
def _poptorch_installed() -> bool:
    return importlib.util.find_spec("poptorch") is not None


def poptorch_available() -> bool:
    """Whether PopTorch can be imported (without importing it)."""
    return "poptorch" in sys.modules or _poptorch_installed()


def require_poptorch():
    """The ``poptorch`` module, or an ImportError that says how to get it."""
    try:
        return importlib.import_module("poptorch")
    except ImportError as err:
        raise ImportError("geode.ipu's PopTorch adapter needs PopTorch, which ships with "
                          "Graphcore's Poplar SDK (pip install the poptorch wheel from the SDK); "
                          "the fixed-size loaders work without it") from err


@dataclass
class IPUOptions:
    """How many mini-batches one IPU step consumes, as PopTorch options."""

    device_iterations: int = 1
    replication_factor: int = 1
    gradient_accumulation: int = 1

    def __post_init__(self):
        for name in ("device_iterations", "replication_factor", "gradient_accumulation"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"IPUOptions: {name} must be an int >= 1, got {value!r}")

    @property
    def mini_batches_per_step(self) -> int:
        return self.device_iterations * self.replication_factor * self.gradient_accumulation

    def to_poptorch(self, training: bool = True):
        """A ``poptorch.Options`` with these settings."""
        poptorch = require_poptorch()
        opts = poptorch.Options()
        opts.deviceIterations(self.device_iterations)
        opts.replicationFactor(self.replication_factor)
        if training:
            opts.Training.gradientAccumulation(self.gradient_accumulation)
        return opts


def mini_batches_per_step(options: Any) -> int:
    """Mini-batches per step for :class:`IPUOptions`, a ``poptorch.Options`` or None (1)."""
    if options is None:
        return 1
    if isinstance(options, IPUOptions):
        return options.mini_batches_per_step
    training = getattr(options, "Training", None)
    return (int(getattr(options, "device_iterations", 1))
            * int(getattr(options, "replication_factor", 1))
            * int(getattr(training, "gradient_accumulation", 1)))


def _identity_loss(loss: torch.Tensor) -> torch.Tensor:
    if poptorch_available():
        return require_poptorch().identity_loss(loss, reduction="none")
    return loss


class LossInForward(torch.nn.Module):
    """``model`` whose forward also returns the loss: ``(out, loss)``, as PopTorch trains.

    Called with a batch that has ``target_key`` (default ``"y"``), or with ``target=``, it
    returns ``(out, loss_fn(out, target))``, the loss marked with ``poptorch.identity_loss``
    when PopTorch is installed; without a target it returns ``out``. ``loss_fn`` may take a
    third argument, the batch, to read masks (``nodes_mask``, ``graphs_mask``).
    """

    def __init__(self, model: torch.nn.Module, loss_fn, target_key: str = "y",
                 pass_batch: bool = False):
        super().__init__()
        self.model = model
        self.loss_fn = loss_fn
        self.target_key = target_key
        self.pass_batch = pass_batch

    def forward(self, *args, target: torch.Tensor | None = None, **kwargs):
        out = self.model(*args, **kwargs)
        batch = args[0] if args and isinstance(args[0], Data) else None
        if target is None and batch is not None and self.target_key in batch:
            target = batch[self.target_key]
        if target is None:
            return out
        loss = self.loss_fn(out, target, batch) if self.pass_batch else self.loss_fn(out, target)
        return out, _identity_loss(loss)


class FlatBatchModule(torch.nn.Module):
    """Takes a batch's flat tensors, rebuilds the batch with ``layout`` and calls ``model``."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model
        self.layout: BatchLayout | None = None

    def forward(self, *tensors: torch.Tensor):
        if self.layout is None:
            return self.model(*tensors)
        return self.model(self.layout.rebuild(tensors))


class IPUModel:
    """A PopTorch model that accepts Geode batches: flattens them and keeps one layout."""

    def __init__(self, poptorch_model, flat: FlatBatchModule):
        self._poptorch_model = poptorch_model
        self._flat = flat

    def _tensors(self, batch: Any) -> tuple:
        if isinstance(batch, CombinedBatch):
            tensors, layout = batch.tensors, batch.layout
        else:
            tensors, layout = flatten_batch(batch)
        if self._flat.layout is not None and layout != self._flat.layout:
            raise ValueError("IPUModel: this batch's keys or constants differ from the first "
                             "batch's; PopTorch compiles one layout (use fixed-size batches)")
        self._flat.layout = layout
        return tensors

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and isinstance(args[0], (Data, CombinedBatch)):
            return self._poptorch_model(*self._tensors(args[0]))
        return self._poptorch_model(*args, **kwargs)

    def __getattr__(self, name: str):  # copyWeightsToHost, detachFromDevice, ...
        return getattr(self._poptorch_model, name)


def _poptorch_options(options: Any, training: bool):
    if isinstance(options, IPUOptions):
        return options.to_poptorch(training)
    return options


def training_model(model: torch.nn.Module, optimizer: torch.optim.Optimizer | None = None,
                   options: Any = None) -> IPUModel:
    """``poptorch.trainingModel`` around ``model`` (whose forward returns ``(out, loss)``,
    e.g. a :class:`LossInForward`), accepting Geode batches."""
    poptorch = require_poptorch()
    flat = FlatBatchModule(model)
    return IPUModel(poptorch.trainingModel(flat, options=_poptorch_options(options, True),
                                           optimizer=optimizer), flat)


def inference_model(model: torch.nn.Module, options: Any = None) -> IPUModel:
    """``poptorch.inferenceModel`` around ``model``, accepting Geode batches."""
    poptorch = require_poptorch()
    flat = FlatBatchModule(model)
    return IPUModel(poptorch.inferenceModel(flat, options=_poptorch_options(options, False)), flat)
