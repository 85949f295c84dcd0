"""``CachedLoader``: keep the batches of the first epoch (optionally on a device) and replay them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch

from .prefetch import apply_tensors

__all__ = ["CachedLoader"]


class CachedLoader:
    """The first pass runs ``loader`` and stores every batch (moved to ``device`` if given);
    later passes replay the stored batches. ``transform`` runs on every batch handed out,
    after the cache. :meth:`clear` drops the cache."""

    def __init__(self, loader, device: torch.device | str | None = None, transform: Callable | None = None):
        self.loader = loader
        self.device = torch.device(device) if device is not None else None
        self.transform = transform
        self._cache: list = []
        self._complete = False

    def clear(self) -> None:
        self._cache, self._complete = [], False

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self) -> Iterator:
        if self._complete:
            for batch in self._cache:
                yield self.transform(batch) if self.transform is not None else batch
            return
        self._cache = []
        for batch in self.loader:
            if self.device is not None:
                batch = apply_tensors(batch, lambda t: t.to(self.device))
            self._cache.append(batch)
            yield self.transform(batch) if self.transform is not None else batch
        self._complete = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.loader!r})"
