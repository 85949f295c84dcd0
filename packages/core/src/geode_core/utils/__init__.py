"""Graph utilities. Every function takes an explicit size argument to avoid device syncs."""

from .components import connected_components
from .convert import from_networkx, from_scipy_sparse_matrix, to_networkx, to_scipy_sparse_matrix
from .dense import dense_to_sparse, to_dense_adj, to_dense_batch
from .dropout import dropout_edge
from .graph import (
    add_remaining_self_loops,
    add_self_loops,
    coalesce,
    contains_self_loops,
    degree,
    is_undirected,
    remove_self_loops,
    sort_edge_index,
    to_undirected,
)
from .laplacian import get_laplacian
from .mask import index_to_mask, mask_to_index, one_hot
from .nearest import knn, knn_graph, radius, radius_graph
from .negative_sampling import negative_sampling
from .random_graph import erdos_renyi_graph, stochastic_blockmodel_graph
from .scatter import scatter
from .segment import segment
from .softmax import softmax
from .subgraph import k_hop_subgraph, subgraph
from .trim import trim_to_layer
from .unbatch import unbatch, unbatch_edge_index

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
    "dropout_edge",
    "segment",
    "get_laplacian",
    "connected_components",
    "to_networkx",
    "from_networkx",
    "to_scipy_sparse_matrix",
    "from_scipy_sparse_matrix",
    "knn",
    "knn_graph",
    "radius",
    "radius_graph",
    "stochastic_blockmodel_graph",
    "trim_to_layer",
    "erdos_renyi_graph",
    "sort_edge_index",
    "unbatch",
    "unbatch_edge_index",
]
