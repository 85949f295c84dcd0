"""Fusing the edge types that meet at one node type, for layers of the form
``W_nbr aggr_j x_j + W_root x_i + b`` (SAGEConv, GraphConv).

Summed over the ``k`` edge types into one destination type, such layers are
``[agg_1 | ... | agg_k | x_dst] @ [W_1; ...; W_k; sum_i R_i] + sum_i b_i``: one matrix product
instead of ``2k``, and the ``k`` root products collapse into one (``k + 1`` instead of ``2k``
products' worth of work). The layers keep their own parameters; only the arithmetic is shared.
Each layer declares what makes it fusable here; nothing is inferred from its source.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.nn.conv import GraphConv, SAGEConv

from .grouping import group

#: layer class -> (neighbour linear, root linear, when its forward is exactly that formula)
ROOTED_LAYERS = {
    SAGEConv: ("lin_l", "lin_r", lambda conv: not conv.project and not conv.normalize),
    GraphConv: ("lin_rel", "lin_root", lambda conv: True),
}


def fusable(module: torch.nn.Module) -> bool:
    """``module`` computes ``W_nbr aggr(x_j) + W_root x_i + b`` with a sum or mean aggregation."""
    rule = ROOTED_LAYERS.get(type(module))
    return rule is not None and module._use_fused() and rule[2](module)


def _uninitialized(module: torch.nn.Module) -> bool:
    return any(isinstance(p, torch.nn.parameter.UninitializedParameter) for p in module.parameters())


def rooted_group(convs: list, xs_src: list[Tensor], x_dst: Tensor, edge_indices: list,
                 aggr: str) -> Tensor:
    """``aggr`` over ``convs[i]((xs_src[i], x_dst), edge_indices[i])`` in one matrix product."""
    if any(_uninitialized(conv) for conv in convs):  # first call: let each layer infer its sizes
        return group([conv(x if x is x_dst else (x, x_dst), ei)
                      for conv, x, ei in zip(convs, xs_src, edge_indices)], aggr)
    features, weights, root, bias = [], [], None, None
    for conv, x_src, edge_index in zip(convs, xs_src, edge_indices):
        nbr_name, root_name, _ = ROOTED_LAYERS[type(conv)]
        adj = conv.adjacency(edge_index, None, x=(x_src, x_dst))
        features.append(conv.message_and_aggregate(adj, x=(x_src, x_dst)))
        nbr, root_lin = getattr(conv, nbr_name), getattr(conv, root_name)
        weights.append(nbr.weight)
        if nbr.bias is not None:
            bias = nbr.bias if bias is None else bias + nbr.bias
        if root_lin is not None:
            root = root_lin.weight if root is None else root + root_lin.weight
    if root is not None:
        features.append(x_dst)
        weights.append(root)
    out = F.linear(torch.cat(features, dim=-1), torch.cat(weights, dim=-1), bias)
    return out / len(convs) if aggr == "mean" else out
