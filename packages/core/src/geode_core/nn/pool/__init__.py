"""Pooling: global readouts and hierarchical node selection."""

from .glob import global_add_pool, global_max_pool, global_mean_pool
from .sag_pool import SAGPooling
from .select import filter_adj, topk
from .topk_pool import TopKPooling

__all__ = ["global_add_pool", "global_mean_pool", "global_max_pool", "TopKPooling",
           "SAGPooling", "topk", "filter_adj"]
