"""Random heterogeneous graphs for the tests: uneven sizes, 2 to 20 node types."""

from __future__ import annotations

import pytest
import torch


def random_hetero(num_node_types=3, num_edge_types=5, channels=None, seed=0, max_nodes=12,
                  max_edges=30):
    """``(x_dict, edge_index_dict, metadata)`` with uneven node counts and feature sizes."""
    g = torch.Generator().manual_seed(seed)
    node_types = [f"n{i}" for i in range(num_node_types)]
    x_dict = {}
    for i, t in enumerate(node_types):
        num = int(torch.randint(1, max_nodes + 1, (1,), generator=g))
        size = channels if channels is not None else 2 + (i % 4)
        x_dict[t] = torch.randn(num, size, generator=g)
    edge_types, edge_index_dict = [], {}
    for r in range(num_edge_types):
        s = node_types[int(torch.randint(0, num_node_types, (1,), generator=g))]
        d = node_types[r % num_node_types]  # every node type receives from some relation
        edge_type = (s, f"r{r}", d)
        num = int(torch.randint(0, max_edges + 1, (1,), generator=g))
        edge_index_dict[edge_type] = torch.stack([
            torch.randint(0, x_dict[s].size(0), (num,), generator=g),
            torch.randint(0, x_dict[d].size(0), (num,), generator=g)])
        edge_types.append(edge_type)
    return x_dict, edge_index_dict, (node_types, edge_types)


@pytest.fixture
def make_hetero():
    """The random graph factory :func:`random_hetero`."""
    return random_hetero
