"""Encoding of store keys and dtypes for on-disk metadata (plain JSON, no pickle)."""

from __future__ import annotations

import json
from typing import Any

import torch

__all__ = ["encode_key", "decode_key", "dtype_name", "dtype_from_name"]


def encode_key(group_name: Any, attr_name: str) -> str:
    """A stable string for ``(group_name, attr_name)``; groups may be None, str or tuples."""
    group = list(group_name) if isinstance(group_name, tuple) else group_name
    return json.dumps([group, attr_name], separators=(",", ":"))


def decode_key(key: str) -> tuple[Any, str]:
    group, attr = json.loads(key)
    return (tuple(group) if isinstance(group, list) else group), attr


def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def dtype_from_name(name: str) -> torch.dtype:
    dtype = getattr(torch, name, None)
    if not isinstance(dtype, torch.dtype):
        raise ValueError(f"unknown dtype {name!r} in store metadata")
    return dtype
