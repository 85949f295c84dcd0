"""Zachary's karate club (W. W. Zachary, J. Anthropol. Res. 33(4), 1977)."""

from __future__ import annotations

import torch

from ..data import Data
from .dataset import InMemoryDataset

#: the 78 friendships among the 34 members (0-based, each pair once)
KARATE_EDGES = (
    (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8), (0, 10), (0, 11), (0, 12),
    (0, 13), (0, 17), (0, 19), (0, 21), (0, 31), (1, 2), (1, 3), (1, 7), (1, 13), (1, 17),
    (1, 19), (1, 21), (1, 30), (2, 3), (2, 7), (2, 8), (2, 9), (2, 13), (2, 27), (2, 28),
    (2, 32), (3, 7), (3, 12), (3, 13), (4, 6), (4, 10), (5, 6), (5, 10), (5, 16), (6, 16),
    (8, 30), (8, 32), (8, 33), (9, 33), (13, 33), (14, 32), (14, 33), (15, 32), (15, 33),
    (18, 32), (18, 33), (19, 33), (20, 32), (20, 33), (22, 32), (22, 33), (23, 25), (23, 27),
    (23, 29), (23, 32), (23, 33), (24, 25), (24, 27), (24, 31), (25, 31), (26, 29), (26, 33),
    (27, 33), (28, 31), (28, 33), (29, 32), (29, 33), (30, 32), (30, 33), (31, 32), (31, 33),
    (32, 33),
)

#: the faction each member joined after the split: 0 = the instructor (node 0), 1 = the
#: administrator (node 33)
KARATE_FACTIONS = (0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1,
                   1, 1, 1, 1, 1, 1, 1, 1, 1)


class KarateClub(InMemoryDataset):
    """One graph: 34 nodes, 156 directed edges (78 friendships), one-hot identity features,
    labels = the two factions; ``train_mask`` holds the two leaders (nodes 0 and 33)."""

    def __init__(self, transform=None) -> None:
        super().__init__(None, transform)
        pairs = torch.tensor(KARATE_EDGES, dtype=torch.long).t()
        edge_index = torch.cat([pairs, pairs.flip(0)], dim=1)
        order = (edge_index[0] * 34 + edge_index[1]).argsort()
        train_mask = torch.zeros(34, dtype=torch.bool)
        train_mask[[0, 33]] = True
        self._data_list = [Data(x=torch.eye(34), edge_index=edge_index[:, order],
                                y=torch.tensor(KARATE_FACTIONS, dtype=torch.long),
                                train_mask=train_mask)]
