"""tqdm progress bars for long optimisation loops, silenced with ``log=False``."""

from __future__ import annotations


def progress(iterable, log: bool, desc: str):
    if not log:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, leave=False)
