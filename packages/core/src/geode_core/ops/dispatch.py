"""Kernel choice: per op, device, dtype, compile state and (optionally) problem size, by
priority; no silent fallback.

A kernel may register ``sizes=(low, high)`` (inclusive; ``high=None`` for no bound): it then
is chosen only when the caller passes a ``size`` in that range (what ``size`` counts is the op's
convention, e.g. the number of types of ``hetero_linear``). That is how measured crossovers
are expressed: a kernel that wins below a size registers that range at a higher priority.
The range is about speed, not ability: a forced kernel (:func:`use_kernel`) runs at any size.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Iterator
from typing import Any

import torch

from geode_core.plugins import RegistryLookupError, get_registry

_forced: dict[str, str] = {}
_choices: dict[tuple, Any] = {}


class NoKernelError(RegistryLookupError):
    """No registered kernel can run an op for the given device, dtype and compile state."""


def _applies(entry, device: str, dtype, compiling: bool, size: int | None, forced: bool = False) -> bool:
    meta = entry.meta
    if meta["device"] not in ("any", device):
        return False
    if meta["dtypes"] is not None and dtype not in tuple(meta["dtypes"]):
        return False
    sizes = meta.get("sizes")
    if sizes is not None and not forced and (size is None or size < sizes[0] or (sizes[1] is not None and size > sizes[1])):
        return False
    return meta["compile_safe"] or not compiling


def choose(op: str, device: str, dtype: torch.dtype, compiling: bool | None = None,
           size: int | None = None):
    """The registry entry of the kernel that runs ``op`` here (on a problem of ``size``).

    The forced kernel (see :func:`use_kernel`) if any, else the applicable kernel of highest
    priority. A forced kernel that does not apply raises; so does an op nothing can run.
    """
    if compiling is None:
        compiling = torch.compiler.is_compiling()
    registry = get_registry()
    registry._ensure("kernel")
    generation = sum(len(bucket) for bucket in registry._entries["kernel"].values())
    key = (op, device, dtype, compiling, size, _forced.get(op), id(registry), generation)
    hit = _choices.get(key)
    if hit is not None:
        return hit
    kernels = registry.kernels(op)
    forced = _forced.get(op)
    if forced is not None:
        named = [k for k in kernels if k.name == forced]
        if not named:
            raise NoKernelError(
                f"kernel {forced!r} was forced for op {op!r} but is not registered; "
                f"registered: {', '.join(k.name for k in kernels) or 'none'}"
            )
        if not _applies(named[0], device, dtype, compiling, size, forced=True):
            raise NoKernelError(
                f"kernel {forced!r} was forced for op {op!r} but does not run on device={device!r}, "
                f"dtype={dtype}, compiling={compiling} (its metadata: {named[0].meta})"
            )
        chosen = named[0]
    else:
        fitting = [k for k in kernels if _applies(k, device, dtype, compiling, size)]
        if not fitting:
            raise NoKernelError(
                f"no kernel for op {op!r} runs on device={device!r}, dtype={dtype}, "
                f"compiling={compiling}, size={size}; registered: "
                + (", ".join(f"{k.name} ({k.meta['device']}, compile_safe={k.meta['compile_safe']})"
                             for k in kernels) or "none")
            )
        chosen = fitting[0]
    _choices[key] = chosen
    return chosen


#: loaded kernels, one attribute each: dynamo reads a module's attributes live, so a kernel
#: loaded while a trace is running is visible to it (a list would be read as a stale copy)
_kernels = types.ModuleType("geode_core.ops._loaded_kernels")
_loaded: dict[tuple, str] = {}


@torch.compiler.assume_constant_result
def _resolve(op: str, device: str, dtype: torch.dtype, compiling: bool, size: int | None) -> str:
    # opaque to dynamo: the choice is a constant of the traced graph (guarded by recompiles
    # only through its arguments, so forcing a kernel inside a compiled region needs a reset)
    entry = choose(op, device, dtype, compiling, size)
    key = (entry.provider, op, entry.name)
    slot = _loaded.get(key)
    if slot is None:
        slot = _loaded[key] = f"kernel_{len(_loaded)}"
        setattr(_kernels, slot, entry.load())
    return slot


def kernel_for(op: str, tensor: torch.Tensor, size: int | None = None):
    """The callable chosen for ``op`` on ``tensor``'s device and dtype (and a problem of
    ``size``, a Python int, for ops whose kernels register size ranges)."""
    return getattr(_kernels, _resolve(op, tensor.device.type, tensor.dtype,
                                      torch.compiler.is_compiling(), size))


@contextlib.contextmanager
def use_kernel(op: str, name: str) -> Iterator[None]:
    """Force the kernel ``name`` for ``op`` inside the block (raises where it cannot run)."""
    previous = _forced.get(op)
    _forced[op] = name
    _choices.clear()
    try:
        yield
    finally:
        if previous is None:
            _forced.pop(op, None)
        else:
            _forced[op] = previous
        _choices.clear()
