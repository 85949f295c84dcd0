"""Graph-classification benchmarks in the TU Dortmund text format."""

from __future__ import annotations

import os
import tempfile

import torch

from ..data import Data
from ..utils import one_hot
from .dataset import InMemoryDataset
from .download import download_url, extract_zip


def _read_ints(path: str) -> torch.Tensor:
    with open(path) as fh:
        rows = [[int(v) for v in line.replace(",", " ").split()] for line in fh if line.strip()]
    return torch.tensor(rows, dtype=torch.long)


def _read_floats(path: str) -> torch.Tensor:
    with open(path) as fh:
        rows = [[float(v) for v in line.replace(",", " ").split()] for line in fh if line.strip()]
    return torch.tensor(rows, dtype=torch.float)


def _labels_one_hot(labels: torch.Tensor) -> torch.Tensor:
    """One-hot per label column (each column's values shifted to start at 0)."""
    parts = []
    for col in labels.t():
        col = col - col.min()
        parts.append(one_hot(col, int(col.max()) + 1))
    return torch.cat(parts, dim=1)


class TUDataset(InMemoryDataset):
    """``root/<name>/raw/<name>_A.txt`` (1-based ``src, dst`` per line), ``_graph_indicator``,
    ``_graph_labels`` and, when present, ``_node_labels``, ``_edge_labels``,
    ``_node_attributes``, ``_edge_attributes``.

    ``x`` = node attributes (if ``use_node_attr``) followed by one-hot node labels;
    ``edge_attr`` = edge attributes (if ``use_edge_attr``) followed by one-hot edge labels;
    ``y`` = graph label mapped to ``0..C-1``.
    """

    source = "https://chrsmrrs.github.io/datasets/docs/datasets/"
    #: the archive ``<name>.zip`` of every dataset lives here
    url = "https://www.chrsmrrs.com/graphkerneldatasets"
    optional = ("node_labels", "edge_labels", "node_attributes", "edge_attributes")

    def __init__(self, root, name: str, transform=None, pre_transform=None, pre_filter=None,
                 use_node_attr: bool = False, use_edge_attr: bool = False,
                 force_reload: bool = False, log: bool = True) -> None:
        self.name = name
        self.use_node_attr = use_node_attr
        self.use_edge_attr = use_edge_attr
        super().__init__(os.path.join(root, name), transform, pre_transform, pre_filter,
                         log=log, force_reload=force_reload)

    def download(self) -> None:
        with tempfile.TemporaryDirectory(dir=self.raw_dir) as tmp:
            archive = download_url(f"{self.url}/{self.name}.zip", tmp, log=self.log)
            extract_zip(archive, self.raw_dir)

    @property
    def raw_file_names(self) -> list[str]:
        return [f"{self.name}_{p}.txt" for p in ("A", "graph_indicator", "graph_labels")]

    @property
    def processed_file_names(self) -> str:
        return f"data_{int(self.use_node_attr)}{int(self.use_edge_attr)}.pt"

    def _optional(self, part: str) -> str | None:
        path = os.path.join(self.raw_dir, f"{self.name}_{part}.txt")
        return path if os.path.exists(path) else None

    def process(self) -> None:
        a_path, gi_path, gl_path = self.raw_paths
        edges = _read_ints(a_path) - 1
        graph_of = _read_ints(gi_path).view(-1) - 1
        num_nodes = graph_of.numel()
        if edges.numel() and (int(edges.min()) < 0 or int(edges.max()) >= num_nodes):
            raise ValueError(f"TUDataset({self.name}): {a_path} names nodes outside "
                             f"[1, {num_nodes}] (the graph indicator has {num_nodes} lines)")
        edge_index = edges.t().contiguous()
        y_raw = _read_ints(gl_path).view(-1)
        _, y = torch.unique(y_raw, sorted=True, return_inverse=True)

        x_parts, e_parts = [], []
        if self.use_node_attr and self._optional("node_attributes"):
            x_parts.append(_read_floats(self._optional("node_attributes")))
        if self._optional("node_labels"):
            x_parts.append(_labels_one_hot(_read_ints(self._optional("node_labels"))))
        if self.use_edge_attr and self._optional("edge_attributes"):
            e_parts.append(_read_floats(self._optional("edge_attributes")))
        if self._optional("edge_labels"):
            e_parts.append(_labels_one_hot(_read_ints(self._optional("edge_labels"))))
        x = torch.cat(x_parts, 1) if x_parts else None
        edge_attr = torch.cat(e_parts, 1) if e_parts else None

        num_graphs = int(graph_of.max()) + 1
        if y.numel() != num_graphs:
            raise ValueError(f"TUDataset({self.name}): {gl_path} has {y.numel()} labels but the "
                             f"graph indicator names {num_graphs} graphs")
        counts = torch.bincount(graph_of, minlength=num_graphs)
        node_ptr = torch.cat([torch.zeros(1, dtype=torch.long), counts.cumsum(0)])
        edge_graph = graph_of[edge_index[0]]
        if not torch.equal(edge_graph, graph_of[edge_index[1]]):
            raise ValueError(f"TUDataset({self.name}): an edge joins nodes of different graphs")
        order = torch.argsort(edge_graph, stable=True)
        edge_index, edge_graph = edge_index[:, order], edge_graph[order]
        if edge_attr is not None:
            edge_attr = edge_attr[order]
        e_counts = torch.bincount(edge_graph, minlength=num_graphs)
        edge_ptr = torch.cat([torch.zeros(1, dtype=torch.long), e_counts.cumsum(0)])

        data_list = []
        for g in self.progress(range(num_graphs), "graphs"):
            n0, n1 = int(node_ptr[g]), int(node_ptr[g + 1])
            e0, e1 = int(edge_ptr[g]), int(edge_ptr[g + 1])
            data = Data(edge_index=edge_index[:, e0:e1] - n0, y=y[g:g + 1].clone())
            if x is not None:
                data.x = x[n0:n1].clone()
            else:
                data.num_nodes = n1 - n0
            if edge_attr is not None:
                data.edge_attr = edge_attr[e0:e1].clone()
            data_list.append(data)
        self.save(self.process_data_list(data_list), self.processed_paths[0])

    def __repr__(self) -> str:
        return f"{self.name}({len(self)})"
