"""GraphGenerator: a callable that draws one graph."""

from __future__ import annotations

import torch
from torch import Tensor

from ...data import Data
from ...utils import to_undirected


def undirected_graph(pairs: Tensor, num_nodes: int) -> Data:
    """A Data of ``num_nodes`` nodes whose edges are ``pairs`` ([2, P]) in both directions."""
    edge_index = to_undirected(pairs, num_nodes=num_nodes)[0] if pairs.numel() else \
        torch.empty(2, 0, dtype=torch.long)
    return Data(edge_index=edge_index, num_nodes=num_nodes)


class GraphGenerator:
    """Base class: ``generator()`` returns a fresh random :class:`Data` (``edge_index``,
    ``num_nodes``). Randomness comes from torch's global generator (``torch.manual_seed``)."""

    def __call__(self) -> Data:
        return self.generate()

    def generate(self) -> Data:
        raise NotImplementedError(f"{type(self).__name__} must implement generate()")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"
