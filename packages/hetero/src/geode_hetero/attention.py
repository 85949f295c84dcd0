"""Multi-head attention aggregation shared by the typed attention layers."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.ops import Adjacency, spmm


def aggregate_heads(adj: Adjacency, alpha: Tensor, values: Tensor) -> Tensor:
    """``out[i, h] = sum_{e: j -> i} alpha[e, h] * values[j, h]`` (``alpha`` in the edge order
    of ``adj.edge_index``, ``values`` ``[num_src, heads, dim]``), one CSR product per head."""
    weights = alpha.index_select(0, adj.perm)
    return torch.stack([spmm(adj, values[:, h], value=weights[:, h]) for h in range(values.size(1))], dim=1)
