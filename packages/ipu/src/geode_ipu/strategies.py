"""The names of the fixed-size and over-size strategies, checked in one place."""

from __future__ import annotations

FIXED_SIZE_STRATEGIES = ("pad_to_max", "stream_pack")
OVER_SIZE_STRATEGIES = ("error", "skip", "trim_nodes", "trim_edges", "trim_nodes_and_edges")


def check_strategy(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value
