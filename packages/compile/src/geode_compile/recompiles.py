"""Counting graph compilations, to spot workloads that recompile on every batch."""

from __future__ import annotations

from torch._dynamo.utils import counters

_baseline = 0


def _compiled_graphs() -> int:
    return int(counters["stats"]["unique_graphs"])


def recompiles() -> int:
    """How many graphs ``torch.compile`` has compiled since the last :func:`reset_recompiles`.

    The first compilation of a model counts as one, so a model that compiles once and is
    then reused for every batch reports 1; each further count is a recompilation (a new
    shape, dtype or guard failure) or a graph break's extra graph.
    """
    return _compiled_graphs() - _baseline


def reset_recompiles() -> None:
    """Start counting again from zero."""
    global _baseline
    _baseline = _compiled_graphs()
