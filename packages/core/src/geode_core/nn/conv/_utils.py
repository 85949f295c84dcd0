"""Small helpers shared by the convolution layers."""

from __future__ import annotations

import torch
from torch import Tensor


def linear(in_channels: int, out_channels: int, bias: bool = True) -> torch.nn.Module:
    """A linear layer; ``in_channels=-1`` infers the input size on first call."""
    if in_channels is None or in_channels < 0:
        return torch.nn.LazyLinear(out_channels, bias=bias)
    return torch.nn.Linear(in_channels, out_channels, bias=bias)


def root_add(out: Tensor, lin: torch.nn.Module, x: Tensor, inplace: bool = False) -> Tensor:
    """``out + lin(x)`` in one ``addmm`` when ``lin`` is a plain bias-free 2-D Linear.

    ``inplace=True`` accumulates into ``out`` itself (``addmm_``, no copy of ``out``): for a
    caller whose ``out`` is a fresh result nothing else holds (autograd's version counter
    still catches a saved one).
    """
    if (type(lin) is torch.nn.Linear and lin.bias is None and out.dim() == 2 and x.dim() == 2
            and out.shape == (x.size(0), lin.out_features)):
        if inplace:
            return out.addmm_(x, lin.weight.t())
        return torch.addmm(out, x, lin.weight.t())
    return out + lin(x)


def pair(value):
    """``(a, a)`` for a single value, the pair itself otherwise."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


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


def raw_graph(edge_index, flow: str = "source_to_target"):
    """``(edge_index, edge_weight, adjacency)`` behind a layer's graph argument.

    ``edge_index`` is ``[2, E]`` with sources in row 0 (flipped for ``target_to_source``);
    ``edge_weight`` and ``adjacency`` are those of an Adjacency or sparse input, else None.
    """
    from geode_core.ops import Adjacency

    from ..graph_input import as_graph

    graph = as_graph(edge_index, flow)
    if isinstance(graph, Adjacency):
        if graph.edge_index is None:
            raise ValueError("this Adjacency keeps no edge_index; build it with from_edge_index")
        return graph.edge_index, graph.edge_weight, graph
    return (graph.flip(0) if flow == "target_to_source" else graph), None, None


def derived_adjacency(edge_index, edge_weight: Tensor | None, size, key, build, flow: str):
    """An Adjacency of ``build(raw_edge_index, edge_weight) -> (edge_index, weight)``.

    Computed once and kept on the input graph's cached Adjacency when the weights are
    constant (no gradient), so a normalisation runs once per graph, not once per call;
    ``key=None`` builds it afresh every time.
    """
    from geode_core.ops import Adjacency

    raw, own_weight, base = raw_graph(edge_index, flow)
    if edge_weight is None:
        edge_weight = own_weight

    def make():
        ei, w = build(raw, edge_weight)
        return Adjacency.from_edge_index(ei, w, size)

    if key is None:
        return make()
    constant = edge_weight is None or not edge_weight.requires_grad
    if base is None and constant and not torch.compiler.is_compiling():
        base = Adjacency.cached(raw, edge_weight, size)
    if base is not None and constant and edge_weight is base.edge_weight:
        return base.derived(key, make)
    return make()


def with_self_loops(edge_index: Tensor, weight: Tensor, loop_weight) -> tuple[Tensor, Tensor]:
    """Append one self-loop per node (fixed shape) weighted ``loop_weight`` (a number or ``[N]``).

    Loops already in ``edge_index`` stay as ordinary edges with their own weight; callers
    that replace them zero those weights first.
    """
    num_nodes = loop_weight.numel() if isinstance(loop_weight, Tensor) else None
    if num_nodes is None:
        raise TypeError("with_self_loops: loop_weight must be a [num_nodes] tensor")
    looped, _ = append_self_loops(edge_index, num_nodes)
    return looped, torch.cat([weight, loop_weight.to(weight.dtype)])


def reset_lins_and_bias(lins, bias: Tensor | None) -> None:
    """Reset a list of linear layers and zero a bias (the K-hop layers' parameters)."""
    for lin in lins:
        if hasattr(lin, "reset_parameters"):
            lin.reset_parameters()
    if bias is not None:
        torch.nn.init.zeros_(bias)
