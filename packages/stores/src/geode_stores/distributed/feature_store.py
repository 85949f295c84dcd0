"""``DistFeatureStore``: node features of a partitioned graph, fetched from their owners."""

from __future__ import annotations

import math

import torch
import torch.distributed as dist
from torch import Tensor

from geode_core.data import FeatureStore, TensorAttr
from geode_core.data.feature_store import index_to_rows

from ..partition import Partition
from .exchange import all_to_all, split_by_owner

__all__ = ["DistFeatureStore"]


class DistFeatureStore(FeatureStore):
    """Read-only feature store over every partition, one rank per partition.

    ``get_tensor(None, "x", global_ids)`` gathers the rows this rank owns locally and asks
    the owners of the others (two all-to-all exchanges: ids out, rows back). It is a
    collective: every rank calls it, in the same order, with its own ids (possibly none).
    """

    def __init__(self, partition: Partition) -> None:
        world = dist.get_world_size()
        if partition.meta["num_parts"] != world:
            raise ValueError(f"partition: the directory has {partition.meta['num_parts']} parts "
                             f"but the process group has {world} ranks; expected one per rank")
        if partition.part != dist.get_rank():
            raise ValueError(f"partition: rank {dist.get_rank()} must open its own partition, "
                             f"given part {partition.part}")
        self.partition = partition
        self.book = partition.book

    def _attrs(self) -> dict:
        return self.partition.meta["node_attrs"]

    def _put_tensor(self, tensor: Tensor, attr: TensorAttr) -> bool:
        raise PermissionError("DistFeatureStore is a read-only view of a partition directory; "
                              "write features with Partitioner")

    def _remove_tensor(self, attr: TensorAttr) -> bool:
        raise PermissionError("DistFeatureStore is a read-only view of a partition directory")

    def _get_tensor_size(self, attr: TensorAttr) -> tuple[int, ...] | None:
        if attr.group_name is not None or attr.attr_name not in self._attrs():
            return None
        return tuple(self._attrs()[attr.attr_name]["shape"])

    def get_all_tensor_attrs(self) -> list[TensorAttr]:
        return [TensorAttr(None, name, None) for name in self._attrs()]

    def _get_tensor(self, attr: TensorAttr) -> Tensor | None:
        if self._get_tensor_size(attr) is None:
            return None
        rows = index_to_rows(attr.index, self.book.num_nodes)
        out = self.lookup(attr.attr_name, rows)
        return out[0] if isinstance(attr.index, int) else out

    def lookup(self, attr_name: str, ids: Tensor) -> Tensor:
        """Rows of ``attr_name`` for global node ``ids`` (a collective, see the class doc)."""
        world = dist.get_world_size()
        groups, order = split_by_owner(ids, self.book.owner[ids], world)
        wanted = all_to_all(groups, what=f"feature lookup of {attr_name!r} (ids)")
        served = torch.cat(wanted)
        rows = self.partition.features.get_tensor(None, attr_name, self.book.local[served])
        trailing = rows.shape[1:]
        width = math.prod(trailing)
        replies = list(rows.reshape(rows.size(0), width).split([w.numel() for w in wanted]))
        if rows.dtype == torch.bool:  # gloo does not reduce or exchange bool
            replies = [r.to(torch.uint8) for r in replies]
        got = all_to_all([r.reshape(-1) for r in replies], what=f"feature lookup of {attr_name!r} (rows)")
        got = torch.cat(got).view(ids.numel(), *trailing).to(rows.dtype)
        out = torch.empty_like(got)
        out[order] = got
        return out

    def __repr__(self) -> str:
        return f"DistFeatureStore(part={self.partition.part}, attrs={list(self._attrs())})"
