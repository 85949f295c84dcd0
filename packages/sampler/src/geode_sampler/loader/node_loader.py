"""``NodeLoader``: mini-batches sampled around seed nodes by any node sampler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import Tensor

from geode_core.data import Data, HeteroData

from ..base import NodeSamplerInput
from .base import SamplingLoader
from .filter import to_batch
from .inputs import check_per_input, resolve_input_nodes

__all__ = ["NodeLoader"]


class NodeBatcher:
    """Positions of ``input_nodes`` -> sampler input -> sample -> mini-batch graph."""

    def __init__(self, data, sampler, input_type, input_nodes: Tensor, input_time: Tensor | None,
                 input_id: Tensor | None, transform_sampler_output: Callable | None):
        self.data, self.sampler = data, sampler
        self.input_type, self.input_nodes, self.input_time = input_type, input_nodes, input_time
        self.input_id = input_id
        self.transform_sampler_output = transform_sampler_output

    def sample(self, index: Tensor):
        inputs = NodeSamplerInput(
            input_id=self.input_id[index] if self.input_id is not None else index,
            node=self.input_nodes[index],
            time=self.input_time[index] if self.input_time is not None else None,
            input_type=self.input_type,
        )
        out = self.sampler.sample_from_nodes(inputs)
        return self.transform_sampler_output(out) if self.transform_sampler_output else out

    def finish(self, out, transform: Callable | None):
        batch = to_batch(self.data, out)
        meta = out.metadata or {}
        input_id = meta.get("input_id")
        store = batch[self.input_type] if self.input_type is not None else batch
        if input_id is not None:
            store.input_id = input_id
            store.batch_size = int(input_id.numel())
        if meta.get("seed_time") is not None:
            store.seed_time = meta["seed_time"]
        return transform(batch) if transform is not None else batch


class NodeLoader(SamplingLoader):
    """Mini-batches of the subgraphs that ``node_sampler`` samples around ``input_nodes``.

    Args:
        data: ``Data``, ``HeteroData`` or a ``(FeatureStore, GraphStore)`` pair.
        node_sampler: an object with ``sample_from_nodes``.
        input_nodes: seed ids, a bool mask, a node type or ``(node_type, ids | mask | None)``
            (default: every node of a ``Data``).
        input_time: one seed time per input node (temporal sampling).
        transform: applied to every finished batch.
        transform_sampler_output: applied to every sampler output before the batch is built.
        filter_per_worker: build batches in the worker processes (``True``) or in the main
            process (``False``); ``None``: only when some of the data lives on a GPU.
        input_id: ids reported as ``batch.input_id`` (default: positions in ``input_nodes``).
        **kwargs: ``batch_size``, ``shuffle``, ``drop_last``, ``num_workers``,
            ``persistent_workers`` and the other ``torch.utils.data.DataLoader`` options.

    Batches carry ``n_id``, ``e_id``, ``input_id``, ``batch_size`` (seeds come first),
    ``num_sampled_nodes``/``num_sampled_edges`` per hop (per store for hetero graphs), and
    ``batch`` for disjoint samples.
    """

    def __init__(self, data: Data | HeteroData | tuple, node_sampler: Any, input_nodes: Any = None,
                 input_time: Tensor | None = None,
                 transform: Callable | None = None, transform_sampler_output: Callable | None = None,
                 filter_per_worker: bool | None = None, input_id: Tensor | None = None, **kwargs: Any):
        input_type, nodes = resolve_input_nodes(data, input_nodes)
        check_per_input("input_time", input_time, nodes.numel())
        check_per_input("input_id", input_id, nodes.numel())
        self.node_sampler = node_sampler
        self.input_type = input_type
        batcher = NodeBatcher(data, node_sampler, input_type, nodes, input_time, input_id,
                              transform_sampler_output)
        super().__init__(batcher, nodes.numel(), transform, filter_per_worker, **kwargs)
