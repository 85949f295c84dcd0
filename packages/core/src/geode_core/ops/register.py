"""Registers geode-core's kernels for the ``geode`` ops."""

from __future__ import annotations


def register_kernels(registry) -> None:
    """geode-core's kernels are added here as the ops land."""
