"""``Partitioner``: split a graph into ``num_parts`` partitions written to a directory.

Layout of ``root``::

    META.json            num_parts, strategy, sizes, node/edge attribute shapes and dtypes
    node_map.pt          owner partition of every global node (a PartitionBook)
    edge_map.pt          owner partition of every global edge
    part_<i>/features/   MemmapFeatureStore: node attributes of the nodes partition i owns
                         (ascending global id; attribute "global_id" lists them), and under
                         group "edge" the attributes of its edges plus their "global_id"
    part_<i>/graph/      DiskGraphStore: the incoming edges of the owned nodes, grouped by
                         owned node (CSC), sources as global ids

An edge belongs to the owner of its destination, so a partition can sample the incoming
neighbours of every node it owns without asking anyone. The directory is built under a
temporary name and renamed into place when complete.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from geode_core.data import Data

from ..atomic import atomic_write_json, fsync_dir, read_json
from ..disk_graph import DiskGraphStore
from ..memmap import MemmapFeatureStore
from .book import PartitionBook
from .strategies import STRATEGIES, assign

__all__ = ["Partitioner", "Partition", "load_partition", "partition_stats"]

FORMAT = "geode-partition/1"


class Partitioner:
    """Partition a homogeneous graph (``Data``) by node.

    Args:
        data: the graph; node attributes (``x``, ``y``, masks, ...) and edge attributes
            (``edge_attr``, ...) are split with it.
        num_parts: number of partitions (>= 1).
        root: output directory (must not exist, unless ``overwrite=True``).
        strategy: ``"random"`` (balanced random), ``"hash"`` (hash of the node id) or
            ``"metis"`` (minimum edge cut; needs ``geode-stores[metis]``).
        seed: randomness of the random and hash strategies and of METIS.
    """

    def __init__(self, data: Data, num_parts: int, root: str | os.PathLike,
                 strategy: str = "random", seed: int = 0, overwrite: bool = False) -> None:
        if not isinstance(data, Data):
            raise TypeError(f"data: expected a homogeneous geode Data, given {type(data).__name__}")
        if not isinstance(num_parts, int) or num_parts < 1:
            raise ValueError(f"num_parts: expected an int >= 1, given {num_parts!r}")
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy: expected one of {STRATEGIES}, given {strategy!r}")
        if data.get("edge_index") is None:
            raise ValueError("data: expected an edge_index to partition")
        self.data, self.num_parts, self.root = data, num_parts, Path(root)
        self.strategy, self.seed, self.overwrite = strategy, int(seed), overwrite

    def generate_partition(self) -> PartitionBook:
        """Write the partition directory; returns its partition book."""
        if self.root.exists() and not self.overwrite:
            raise FileExistsError(f"root: {self.root} exists; pass overwrite=True to replace it")
        data = self.data
        num_nodes, edge_index = int(data.num_nodes), data.edge_index
        owner = assign(self.strategy, edge_index, num_nodes, self.num_parts, self.seed)
        book = PartitionBook(owner, self.num_parts)
        edge_owner = owner[edge_index[1]]
        node_keys = [a.attr_name for a in data.get_all_tensor_attrs()]
        edge_keys = [k for k, _ in data.items() if data.is_edge_attr(k)]

        tmp = self.root.with_name(f".{self.root.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        book.save(tmp / "node_map.pt")
        torch.save({"owner": edge_owner}, tmp / "edge_map.pt")
        for part in range(self.num_parts):
            self._write_part(tmp / f"part_{part}", book, part, node_keys, edge_keys)
        atomic_write_json(tmp / "META.json", {
            "format": FORMAT, "num_parts": self.num_parts, "strategy": self.strategy,
            "seed": self.seed, "num_nodes": num_nodes, "num_edges": int(edge_index.size(1)),
            "node_attrs": {k: _describe(data[k]) for k in node_keys},
            "edge_attrs": {k: _describe(data[k]) for k in edge_keys},
            "part_sizes": book.sizes.tolist(),
            "part_edges": torch.bincount(edge_owner, minlength=self.num_parts).tolist()})
        if self.root.exists():
            shutil.rmtree(self.root)
        os.replace(tmp, self.root)
        fsync_dir(self.root.parent)
        return book

    def _write_part(self, path: Path, book: PartitionBook, part: int, node_keys, edge_keys) -> None:
        data = self.data
        nodes = book.nodes_of(part)
        features = MemmapFeatureStore(path / "features", mode="w")
        features.put_tensor(nodes, None, "global_id")
        for key in node_keys:
            features.put_tensor(data[key][nodes], None, key)
        src, dst = data.edge_index
        mine = (book.owner[dst] == part).nonzero().view(-1)  # ascending global edge id
        local_dst = book.local[dst[mine]]
        order = torch.argsort(local_dst, stable=True)  # same within-node order as a full CSC
        edges = mine[order]
        features.put_tensor(edges, "edge", "global_id")
        for key in edge_keys:
            features.put_tensor(data[key][edges], "edge", key)
        colptr = torch.zeros(nodes.numel() + 1, dtype=torch.long)
        colptr[1:] = torch.cumsum(torch.bincount(local_dst, minlength=nodes.numel()), 0)
        graph = DiskGraphStore(path / "graph", mode="w")
        graph.put_edge_index((src[edges], colptr), edge_type=None, layout="csc",
                             size=(int(data.num_nodes), nodes.numel()))
        features.close()
        graph.close()


def _describe(t: Tensor) -> dict:
    return {"dtype": str(t.dtype).removeprefix("torch."), "shape": list(t.shape)}


@dataclass
class Partition:
    """One partition opened read-only: its feature and graph stores and the book."""

    part: int
    meta: dict
    book: PartitionBook
    features: MemmapFeatureStore
    graph: DiskGraphStore

    @property
    def edge_ids(self) -> Tensor:
        """Global id of each edge, in the partition's CSC order."""
        return self.features.get_mapped_tensor("edge", "global_id")


def load_partition(root: str | os.PathLike, part: int) -> Partition:
    """Open partition ``part`` of the partition directory ``root``."""
    root = Path(root)
    meta = read_json(root / "META.json", f"partition directory {root}")
    if meta.get("format") != FORMAT:
        raise RuntimeError(f"{root}: expected a {FORMAT!r} partition directory, given "
                           f"{meta.get('format')!r}")
    if not 0 <= part < meta["num_parts"]:
        raise IndexError(f"part: expected a partition in [0, {meta['num_parts']}), given {part}")
    return Partition(part, meta, PartitionBook.load(root / "node_map.pt"),
                     MemmapFeatureStore(root / f"part_{part}" / "features", mode="r"),
                     DiskGraphStore(root / f"part_{part}" / "graph", mode="r"))


def partition_stats(edge_index: Tensor, book: PartitionBook) -> dict:
    """Edge cut, remote-neighbour fraction and load balance of a partition book."""
    src_owner, dst_owner = book.owner[edge_index[0]], book.owner[edge_index[1]]
    cut = src_owner != dst_owner
    sizes = book.sizes.double()
    edges = torch.bincount(dst_owner, minlength=book.num_parts).double()
    return {
        "edge_cut": int(cut.sum()),
        "edge_cut_fraction": float(cut.double().mean()) if cut.numel() else 0.0,
        "node_balance": float(sizes.max() / sizes.mean()),
        "edge_balance": float(edges.max() / edges.mean()) if edges.sum() else 1.0,
    }
