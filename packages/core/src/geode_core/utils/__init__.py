"""Graph utilities. Every function takes an explicit size argument to avoid device syncs."""

from .dense import dense_to_sparse, to_dense_adj, to_dense_batch
from .graph import (
    add_remaining_self_loops,
    add_self_loops,
    coalesce,
    contains_self_loops,
    degree,
    is_undirected,
    remove_self_loops,
    to_undirected,
)
from .mask import index_to_mask, mask_to_index, one_hot
from .scatter import scatter
from .softmax import negative_sampling, softmax
from .subgraph import k_hop_subgraph, subgraph
from .trim import trim_to_layer

__all__ = [
    "scatter",
    "softmax",
    "degree",
    "add_self_loops",
    "add_remaining_self_loops",
    "remove_self_loops",
    "contains_self_loops",
    "coalesce",
    "to_undirected",
    "is_undirected",
    "subgraph",
    "k_hop_subgraph",
    "to_dense_batch",
    "to_dense_adj",
    "dense_to_sparse",
    "index_to_mask",
    "mask_to_index",
    "one_hot",
    "negative_sampling",
    "trim_to_layer",
]
