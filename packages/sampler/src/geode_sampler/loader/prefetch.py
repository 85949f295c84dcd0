"""``PrefetchLoader``: copy the next batch to the GPU while the current one is in use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch

__all__ = ["PrefetchLoader"]


def apply_tensors(obj: Any, fn) -> Any:
    """``fn`` applied to every tensor of a batch (Data, HeteroData, tensor or container)."""
    if isinstance(obj, torch.Tensor):
        return fn(obj)
    if hasattr(obj, "apply") and callable(obj.apply):
        return obj.apply(fn)
    if isinstance(obj, (list, tuple)):
        return type(obj)(apply_tensors(v, fn) for v in obj)
    if isinstance(obj, dict):
        return {k: apply_tensors(v, fn) for k, v in obj.items()}
    return obj


class PrefetchLoader:
    """Wrap a loader so batches arrive on ``device`` (default: the current CUDA device).

    On CUDA, each batch is pinned and copied asynchronously on a side stream one step
    ahead; the consumer's stream waits for the copy before the batch is handed out. On a
    CPU device it passes batches through unchanged.
    """

    def __init__(self, loader, device: torch.device | str | None = None):
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.loader = loader
        self.device = torch.device(device)
        if self.device.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(f"PrefetchLoader: device {self.device} requested but CUDA is not available")

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self) -> Iterator:
        if self.device.type != "cuda":
            yield from self.loader
            return
        stream = torch.cuda.Stream(self.device)

        def copy(batch):
            with torch.cuda.stream(stream):
                batch = apply_tensors(batch, lambda t: t if t.is_pinned() else t.pin_memory())
                return apply_tensors(batch, lambda t: t.to(self.device, non_blocking=True))

        it = iter(self.loader)
        nxt = next(it, None)
        nxt = copy(nxt) if nxt is not None else None
        while nxt is not None:
            torch.cuda.current_stream(self.device).wait_stream(stream)
            current = nxt
            # The batch's memory now belongs to the consumer's stream too.
            apply_tensors(current, lambda t: (t.record_stream(torch.cuda.current_stream(self.device)), t)[1])
            following = next(it, None)
            nxt = copy(following) if following is not None else None
            yield current

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.loader!r}, device={self.device})"
