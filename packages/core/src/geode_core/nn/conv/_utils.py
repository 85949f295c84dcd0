"""Small helpers shared by the convolution layers."""

from __future__ import annotations

import torch
from torch import Tensor


def linear(in_channels: int, out_channels: int, bias: bool = True) -> torch.nn.Module:
    """A linear layer; ``in_channels=-1`` infers the input size on first call."""
    if in_channels is None or in_channels < 0:
        return torch.nn.LazyLinear(out_channels, bias=bias)
    return torch.nn.Linear(in_channels, out_channels, bias=bias)


def root_add(out: Tensor, lin: torch.nn.Module, x: Tensor) -> Tensor:
    """``out + lin(x)`` in one ``addmm`` when ``lin`` is a plain bias-free 2-D Linear."""
    if (type(lin) is torch.nn.Linear and lin.bias is None and out.dim() == 2 and x.dim() == 2
            and out.shape == (x.size(0), lin.out_features)):
        return torch.addmm(out, x, lin.weight.t())
    return out + lin(x)


def pair(value):
    """``(a, a)`` for a single value, the pair itself otherwise."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def edge_pairs(edge_index):
    """The ``[2, E]`` tensor behind ``edge_index`` (a tensor or an Adjacency)."""
    from geode_core.ops import Adjacency

    if isinstance(edge_index, Adjacency):
        if edge_index.edge_index is None:
            raise ValueError("this Adjacency keeps no edge_index")
        return edge_index.edge_index
    return edge_index


def append_self_loops(edge_index: Tensor, num_nodes: int) -> tuple[Tensor, Tensor]:
    """Append one loop per node (fixed shape, no data-dependent sizes).

    Returns the new ``[2, E + N]`` edge_index and a mask of the original edges that were
    loops already (``[E + N]``, False for the appended loops).
    """
    loops = torch.arange(num_nodes, device=edge_index.device, dtype=edge_index.dtype)
    is_loop = edge_index[0] == edge_index[1]
    out = torch.cat([edge_index, torch.stack([loops, loops])], dim=1)
    mask = torch.cat([is_loop, torch.zeros(num_nodes, dtype=torch.bool, device=edge_index.device)])
    return out, mask
