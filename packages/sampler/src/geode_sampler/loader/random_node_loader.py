"""``RandomNodeLoader``: random node partitions, each batch the subgraph its nodes induce."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from torch import Tensor

from geode_core.data import Data

from ..csr import to_csc
from .base import SamplingLoader
from .filter import induced_data

__all__ = ["RandomNodeLoader"]


class _RandomNodeBatcher:
    def __init__(self, data: Data):
        self.data = data
        self.csc = to_csc(data.edge_index, int(data.num_nodes or 0))

    def sample(self, index: Tensor) -> Tensor:
        return index

    def finish(self, n_id: Tensor, transform: Callable | None):
        batch = induced_data(self.data, self.csc, n_id)
        return transform(batch) if transform is not None else batch


class RandomNodeLoader(SamplingLoader):
    """Split the nodes of ``data`` into ``num_parts`` random parts every epoch; each batch is
    the subgraph one part induces (``n_id``/``e_id`` name its nodes and edges in ``data``)."""

    def __init__(self, data: Data, num_parts: int, transform: Callable | None = None, **kwargs: Any):
        if not isinstance(num_parts, int) or num_parts < 1:
            raise ValueError(f"num_parts must be a positive int, got {num_parts!r}")
        for fixed in ("batch_size", "shuffle"):
            if fixed in kwargs:
                raise TypeError(f"RandomNodeLoader sets {fixed} from num_parts; it cannot be passed")
        n = int(data.num_nodes or 0)
        self.num_parts = num_parts
        kwargs.setdefault("filter_per_worker", True)
        super().__init__(_RandomNodeBatcher(data), n, transform, batch_size=max(math.ceil(n / num_parts), 1),
                         shuffle=True, **kwargs)
