"""Validation of the row blocks a bulk ingest receives."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import torch
from torch import Tensor

__all__ = ["ChunkStream"]


class ChunkStream:
    """Iterate row blocks, checking they agree in dtype and trailing shape.

    After iteration, :attr:`dtype` and :attr:`shape` describe the whole tensor.
    """

    def __init__(self, chunks: Iterable[Tensor], what: str) -> None:
        self._chunks = chunks
        self.what = what
        self.dtype: torch.dtype | None = None
        self.trailing: tuple[int, ...] = ()
        self.rows = 0

    def __iter__(self) -> Iterator[Tensor]:
        for i, chunk in enumerate(self._chunks):
            chunk = torch.as_tensor(chunk).detach().cpu()
            if chunk.dim() == 0:
                raise ValueError(f"{self.what}: chunk {i} is a scalar; expected rows")
            if self.dtype is None:
                self.dtype, self.trailing = chunk.dtype, tuple(chunk.shape[1:])
            if chunk.dtype != self.dtype or tuple(chunk.shape[1:]) != self.trailing:
                raise ValueError(f"{self.what}: chunk {i} has dtype {chunk.dtype} and shape "
                                 f"{list(chunk.shape)}; expected {self.dtype} and rows of shape "
                                 f"{list(self.trailing)}")
            self.rows += chunk.size(0)
            yield chunk
        if self.dtype is None:
            raise ValueError(f"{self.what}: expected at least one chunk, given none")

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.rows, *self.trailing)
