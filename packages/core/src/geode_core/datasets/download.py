"""Fetching raw dataset files from their canonical URLs."""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path
from urllib.request import urlopen

from .dataset import atomic_write

#: seconds to wait for a server before giving up
TIMEOUT = 30


def download_url(url: str, folder: str | os.PathLike, filename: str | None = None,
                 log: bool = True) -> str:
    """Download ``url`` into ``folder`` (atomically: temp file, then rename); return the path.

    Network failures raise ``OSError`` (``urllib.error.URLError`` is one).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (filename or url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
    if log:
        print(f"Downloading {url}", file=sys.stderr)
    with urlopen(url, timeout=TIMEOUT) as response, atomic_write(path) as fh:
        shutil.copyfileobj(response, fh)
    return str(path)


def extract_zip(path: str | os.PathLike, folder: str | os.PathLike, flatten: bool = True) -> None:
    """Extract a zip archive into ``folder``; with ``flatten`` files land directly in
    ``folder`` whatever sub-folders the archive uses. Entries escaping ``folder`` raise."""
    folder = Path(folder)
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            name = Path(member.filename).name if flatten else member.filename
            target = (folder / name).resolve()
            if folder.resolve() not in target.parents:
                raise ValueError(f"extract_zip: {path} holds {member.filename!r}, which would be "
                                 f"written outside {folder}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
