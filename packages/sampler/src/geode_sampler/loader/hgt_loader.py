"""``HGTLoader``: node mini-batches by HGT's budget-based heterogeneous sampling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hgt_sampler import HGTSampler
from .node_loader import NodeLoader

__all__ = ["HGTLoader"]


class HGTLoader(NodeLoader):
    """Sample ``num_samples`` nodes per node type and hop around each mini-batch of
    ``input_nodes`` (a node type or ``(node_type, ids | mask | None)``) with
    :class:`~geode_sampler.HGTSampler`; batches are the induced subgraphs, with the
    ``NodeLoader`` attributes (``n_id``, ``e_id``, ``input_id``, ``batch_size``, ...)."""

    def __init__(self, data, num_samples, input_nodes=None, transform: Callable | None = None,
                 transform_sampler_output: Callable | None = None, filter_per_worker: bool | None = None,
                 **kwargs: Any):
        self.num_samples = num_samples
        super().__init__(data, HGTSampler(data, num_samples), input_nodes=input_nodes, transform=transform,
                         transform_sampler_output=transform_sampler_output,
                         filter_per_worker=filter_per_worker, **kwargs)
