"""Crash-safe file writes: write a temporary file, fsync it, rename it over the target.

A rename within one directory is atomic on POSIX file systems, so a reader sees either the
old file or the complete new one, never a half-written file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["atomic_write_bytes", "atomic_write_json", "fsync_dir", "read_json"]


def fsync_dir(path: Path) -> None:
    """Persist a directory entry (a rename or a new file) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_bytes(path, json.dumps(obj, indent=1, sort_keys=True).encode())


def read_json(path: Path, what: str) -> Any:
    """Load a metadata file, turning a missing or damaged file into a clear error."""
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"{what}: metadata file {path} not found") from None
    except json.JSONDecodeError as error:
        raise RuntimeError(f"{what}: metadata file {path} is damaged ({error}); the store "
                           f"cannot be opened") from None
