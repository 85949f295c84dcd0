"""Setting explanation masks on every message-passing layer of a model.

Geode's :class:`~geode_core.nn.MessagePassing` multiplies each message by ``_edge_mask``
when it is set (layers that append self-loops leave the loops unmasked). Heterogeneous
models keep one sub-module per edge type in a ``ModuleDict`` keyed ``"src__rel__dst"`` (as
``to_hetero`` and ``HeteroConv`` do); each edge type's mask goes to the layers under its key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import Tensor

from geode_core.nn import MessagePassing

EdgeType = tuple[str, str, str]


def message_passing_layers(model: torch.nn.Module) -> list[MessagePassing]:
    """Every MessagePassing module of ``model``, in registration order."""
    return [m for m in model.modules() if isinstance(m, MessagePassing)]


def edge_type_key(edge_type: EdgeType) -> str:
    return "__".join(edge_type)


def layers_by_edge_type(model: torch.nn.Module, edge_types) -> dict[EdgeType, list[MessagePassing]]:
    """The MessagePassing layers under each edge type's ``ModuleDict`` key."""
    keys = {edge_type_key(et): et for et in edge_types}
    found: dict[EdgeType, list[MessagePassing]] = {et: [] for et in edge_types}
    for module in model.modules():
        if isinstance(module, torch.nn.ModuleDict):
            for key, child in module.items():
                if key in keys:
                    found[keys[key]].extend(message_passing_layers(child))
    return found


def set_masks(model: torch.nn.Module, mask: Tensor) -> None:
    """Multiply every message of every layer by ``mask`` (one entry per input edge)."""
    layers = message_passing_layers(model)
    if not layers:
        raise ValueError(f"{type(model).__name__} has no MessagePassing layer: an edge mask "
                         f"cannot be applied to it")
    for layer in layers:
        layer._edge_mask = mask


def set_hetero_masks(model: torch.nn.Module, masks: dict[EdgeType, Tensor]) -> None:
    """Set each edge type's mask on the layers keyed by that edge type."""
    found = layers_by_edge_type(model, list(masks))
    if not any(found.values()):
        keys = ", ".join(repr(edge_type_key(et)) for et in masks)
        raise ValueError(f"{type(model).__name__} has no MessagePassing layer under a ModuleDict "
                         f"key naming an edge type ({keys}): hetero edge masks cannot be applied")
    for edge_type, layers in found.items():
        for layer in layers:
            layer._edge_mask = masks[edge_type]


def clear_masks(model: torch.nn.Module) -> None:
    for layer in message_passing_layers(model):
        layer._edge_mask = None


@contextmanager
def edge_masks(model: torch.nn.Module, mask) -> Iterator[None]:
    """Apply ``mask`` (a tensor, or a dict per edge type; None applies nothing) while inside."""
    if mask is None:
        yield
        return
    if isinstance(mask, dict):
        set_hetero_masks(model, mask)
    else:
        set_masks(model, mask)
    try:
        yield
    finally:
        clear_masks(model)


def computation_edges(model: torch.nn.Module, edge_index: Tensor, index, num_nodes: int) -> Tensor:
    """Bool mask of the edges that can reach the nodes at ``index``: the k-hop subgraph,
    k = the model's number of MessagePassing layers (flow taken from the first layer)."""
    from geode_core.utils import k_hop_subgraph

    layers = message_passing_layers(model)
    flow = layers[0].flow if layers else "source_to_target"
    if index is None:
        return torch.ones(edge_index.size(1), dtype=torch.bool, device=edge_index.device)
    return k_hop_subgraph(index, len(layers), edge_index, num_nodes=num_nodes, flow=flow)[3]
