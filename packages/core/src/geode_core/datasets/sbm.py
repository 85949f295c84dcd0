"""StochasticBlockModelDataset: graphs whose communities are the labels."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import torch

from ..data import Data
from ..utils import stochastic_blockmodel_graph
from .dataset import InMemoryDataset


class StochasticBlockModelDataset(InMemoryDataset):
    """``num_graphs`` stochastic-block-model graphs, generated once into ``root/processed``.

    Block ``b`` holds ``block_sizes[b]`` consecutive nodes with label ``y = b``; a pair of
    nodes in blocks ``a`` and ``b`` is an edge with probability ``edge_probs[a][b]``
    (:func:`~geode_core.utils.stochastic_blockmodel_graph`). With ``num_channels``, node
    features are Gaussian around a random centre per block (``x = centre[y] + noise``), so
    they carry the labels' signal. Uses the global torch RNG.
    """

    def __init__(self, root, block_sizes: list[int], edge_probs: list[list[float]],
                 num_graphs: int = 1, num_channels: int | None = None, is_undirected: bool = True,
                 transform: Callable | None = None, pre_transform: Callable | None = None,
                 force_reload: bool = False, log: bool = True) -> None:
        self.block_sizes = [int(b) for b in block_sizes]
        self.edge_probs = [[float(p) for p in row] for row in edge_probs]
        self.num_graphs, self.num_channels = num_graphs, num_channels
        self.is_undirected = is_undirected
        if num_graphs < 1:
            raise ValueError(f"StochasticBlockModelDataset: num_graphs must be >= 1, got "
                             f"{num_graphs}")
        super().__init__(root, transform, pre_transform, log=log, force_reload=force_reload)

    @property
    def processed_file_names(self) -> str:
        spec = repr((self.block_sizes, self.edge_probs, self.num_graphs, self.num_channels,
                     self.is_undirected))
        return f"sbm_{hashlib.sha256(spec.encode()).hexdigest()[:16]}.pt"

    def process(self) -> None:
        y = torch.repeat_interleave(torch.arange(len(self.block_sizes)),
                                    torch.tensor(self.block_sizes))
        graphs = []
        for _ in self.progress(range(self.num_graphs), "graphs"):
            ei = stochastic_blockmodel_graph(self.block_sizes, self.edge_probs,
                                             directed=not self.is_undirected)
            data = Data(edge_index=ei, y=y.clone())
            data.num_nodes = y.numel()
            if self.num_channels:
                centres = 2.0 * torch.randn(len(self.block_sizes), self.num_channels)
                data.x = centres[y] + torch.randn(y.numel(), self.num_channels)
            graphs.append(data)
        self.save(self.process_data_list(graphs), self.processed_paths[0])

    def __repr__(self) -> str:
        return f"StochasticBlockModelDataset({len(self)})"
