"""Cluster-GCN: METIS partitions (``ClusterData``) and mini-batches of clusters (``ClusterLoader``).

METIS comes from ``pymetis``, an optional extra: ``pip install geode-sampler[metis]``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from geode_core.data import Data

from ..csr import to_csc, to_csr
from .base import SamplingLoader
from .filter import induced_data

__all__ = ["ClusterData", "ClusterLoader", "Partition"]


@dataclass
class Partition:
    """Cluster ``i`` holds nodes ``node_perm[partptr[i]:partptr[i + 1]]``."""

    partptr: Tensor
    node_perm: Tensor


def _metis(edge_index: Tensor, num_nodes: int, num_parts: int, recursive: bool) -> Tensor:
    try:
        import pymetis
    except ImportError as exc:
        raise ImportError("ClusterData partitions with METIS through pymetis, which is not installed; "
                          "install it with `pip install geode-sampler[metis]`") from exc
    # METIS wants a symmetric adjacency without self loops or repeated entries.
    ei = torch.cat([edge_index, edge_index.flip(0)], dim=1)
    ei = ei[:, ei[0] != ei[1]]
    ei = torch.unique(ei, dim=1)
    csr = to_csr(ei, num_nodes)
    if hasattr(pymetis, "CSRAdjacency"):
        graph = {"adjacency": pymetis.CSRAdjacency(csr.rowptr.numpy(), csr.col.numpy())}
    else:  # older pymetis
        graph = {"xadj": csr.rowptr.tolist(), "adjncy": csr.col.tolist()}
    _, membership = pymetis.part_graph(num_parts, recursive=recursive, **graph)
    return torch.as_tensor(membership, dtype=torch.long)


class ClusterData(torch.utils.data.Dataset):
    """Partition ``data`` into ``num_parts`` clusters with METIS.

    Args:
        data: a ``Data`` graph.
        num_parts: number of clusters.
        recursive: METIS' recursive bisection instead of k-way partitioning.
        save_dir: if given, the partition is stored there (and reused when present).
        filename: file name within ``save_dir`` (default ``partition_<num_parts>.pt``).
        log: print a line when partitioning.

    ``cluster_data[i]`` is the subgraph induced by cluster ``i`` (with ``n_id``/``e_id``
    naming its nodes and edges in ``data``); :attr:`partition` holds the clustering.
    """

    def __init__(self, data: Data, num_parts: int, recursive: bool = False, save_dir: str | None = None,
                 filename: str | None = None, log: bool = True):
        if not isinstance(num_parts, int) or num_parts < 1:
            raise ValueError(f"num_parts must be a positive int, got {num_parts!r}")
        n = int(data.num_nodes or 0)
        if num_parts > n:
            raise ValueError(f"num_parts ({num_parts}) must not exceed the number of nodes ({n})")
        self.data = data
        self.num_parts = num_parts
        path = os.path.join(save_dir, filename or f"partition_{num_parts}.pt") if save_dir else None
        if path and os.path.exists(path):
            saved = torch.load(path, weights_only=True)
            self.partition = Partition(saved["partptr"], saved["node_perm"])
        else:
            if log:
                print(f"Computing METIS partitioning into {num_parts} parts...")
            membership = _metis(data.edge_index, n, num_parts, recursive) if num_parts > 1 \
                else torch.zeros(n, dtype=torch.long)
            node_perm = torch.argsort(membership, stable=True)
            partptr = torch.zeros(num_parts + 1, dtype=torch.long)
            partptr[1:] = torch.bincount(membership, minlength=num_parts).cumsum(0)
            self.partition = Partition(partptr, node_perm)
            if path:
                os.makedirs(save_dir, exist_ok=True)
                tmp = path + ".tmp"
                torch.save({"partptr": partptr, "node_perm": node_perm}, tmp)
                os.replace(tmp, path)
        self.csc = to_csc(data.edge_index, n)

    def __len__(self) -> int:
        return self.num_parts

    def nodes_of(self, clusters: Tensor) -> Tensor:
        """Node ids of the given clusters, cluster by cluster."""
        ptr = self.partition.partptr
        start, count = ptr[clusters], ptr[clusters + 1] - ptr[clusters]
        seg = torch.repeat_interleave(torch.arange(clusters.numel()), count)
        pos = start[seg] + torch.arange(seg.numel()) - (torch.cumsum(count, 0) - count)[seg]
        return self.partition.node_perm[pos]

    def __getitem__(self, idx: int) -> Data:
        if not -self.num_parts <= idx < self.num_parts:
            raise IndexError(f"cluster index must lie in [0, {self.num_parts}), got {idx}")
        return induced_data(self.data, self.csc, self.nodes_of(torch.tensor([idx % self.num_parts])))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(num_parts={self.num_parts})"


class _ClusterBatcher:
    def __init__(self, cluster_data: ClusterData):
        self.cluster_data = cluster_data
        self.data = cluster_data.data

    def sample(self, index: Tensor) -> Tensor:
        return self.cluster_data.nodes_of(index)

    def finish(self, n_id: Tensor, transform: Callable | None):
        batch = induced_data(self.data, self.cluster_data.csc, n_id)
        return transform(batch) if transform is not None else batch


class ClusterLoader(SamplingLoader):
    """Mini-batches of ``batch_size`` clusters of a :class:`ClusterData`, with every edge
    between their nodes (including edges between the chosen clusters).

    Takes the ``torch.utils.data.DataLoader`` keywords (``batch_size``, ``shuffle``,
    ``num_workers``, ...).
    """

    def __init__(self, cluster_data: ClusterData, transform: Callable | None = None, **kwargs: Any):
        if not isinstance(cluster_data, ClusterData):
            raise TypeError(f"cluster_data must be a ClusterData, got {type(cluster_data).__name__}")
        self.cluster_data = cluster_data
        kwargs.setdefault("filter_per_worker", True)
        super().__init__(_ClusterBatcher(cluster_data), len(cluster_data), transform, **kwargs)
