"""Node-to-partition assignment strategies: random (balanced), hash, METIS."""

from __future__ import annotations

import torch
from torch import Tensor

from .._deps import require
from ..keyed_sampling import keyed_uniform

__all__ = ["STRATEGIES", "assign"]

STRATEGIES = ("random", "hash", "metis")


def _random(num_nodes: int, num_parts: int, seed: int) -> Tensor:
    """A random permutation cut into ``num_parts`` equal pieces (sizes differ by <= 1)."""
    g = torch.Generator().manual_seed(seed)
    owner = torch.empty(num_nodes, dtype=torch.long)
    owner[torch.randperm(num_nodes, generator=g)] = torch.arange(num_nodes) % num_parts
    return owner


def _hash(num_nodes: int, num_parts: int, seed: int) -> Tensor:
    """A hash of each node id: the owner of a node is computable from its id alone."""
    u = keyed_uniform(seed, 0, 0, torch.arange(num_nodes), torch.zeros(1, dtype=torch.long))
    return (u * num_parts).long().clamp_max_(num_parts - 1)


def _metis(edge_index: Tensor, num_nodes: int, num_parts: int, seed: int) -> Tensor:
    """METIS k-way partition of the symmetrised graph, minimising the edge cut."""
    pymetis = require("pymetis")
    if num_parts == 1:
        return torch.zeros(num_nodes, dtype=torch.long)
    row, col = edge_index
    keep = row != col
    row, col = torch.cat([row[keep], col[keep]]), torch.cat([col[keep], row[keep]])
    key = torch.unique(row * num_nodes + col)
    row, col = key // num_nodes, key % num_nodes
    xadj = torch.zeros(num_nodes + 1, dtype=torch.long)
    xadj[1:] = torch.cumsum(torch.bincount(row, minlength=num_nodes), 0)
    options = pymetis.Options(seed=seed)
    if hasattr(pymetis, "CSRAdjacency"):  # pymetis >= 2025
        graph = {"adjacency": pymetis.CSRAdjacency(xadj.numpy(), col.numpy())}
    else:
        graph = {"xadj": xadj.numpy(), "adjncy": col.numpy()}
    _, membership = pymetis.part_graph(num_parts, **graph, options=options)
    return torch.as_tensor(membership, dtype=torch.long)


def assign(strategy: str, edge_index: Tensor, num_nodes: int, num_parts: int, seed: int) -> Tensor:
    """Owner partition of every node under ``strategy``."""
    if strategy == "random":
        return _random(num_nodes, num_parts, seed)
    if strategy == "hash":
        return _hash(num_nodes, num_parts, seed)
    if strategy == "metis":
        return _metis(edge_index, num_nodes, num_parts, seed)
    raise ValueError(f"strategy: expected one of {STRATEGIES}, given {strategy!r}")
