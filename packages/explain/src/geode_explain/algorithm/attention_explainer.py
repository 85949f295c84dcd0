"""AttentionExplainer: edge importance read from the attention weights of attention layers."""

from __future__ import annotations

import torch
from torch import Tensor

from ..config import ExplanationType, MaskType
from ..masks import computation_edges, message_passing_layers
from .base import ExplainerAlgorithm

_REDUCTIONS = ("max", "min", "mean", "sum")


def _reduce(t: Tensor, how: str, dim: int) -> Tensor:
    if how == "max":
        return t.amax(dim=dim)
    if how == "min":
        return t.amin(dim=dim)
    return t.mean(dim=dim) if how == "mean" else t.sum(dim=dim)


class AttentionExplainer(ExplainerAlgorithm):
    """Edge mask = the attention coefficients of every attention layer, reduced over heads
    and then over layers by ``reduce`` (``"max"``, ``"min"``, ``"mean"``, ``"sum"``).

    An attention layer is a MessagePassing layer whose ``message`` takes ``alpha`` (the
    ``[E, heads]`` attention weights, as GATConv, GATv2Conv and TransformerConv do); weights
    of appended self-loops are left out. For node-level tasks, edges outside the explained
    nodes' computation subgraph get 0.
    """

    explanation_types = (ExplanationType.model,)
    node_mask_types = (None,)
    edge_mask_types = (MaskType.object,)

    def __init__(self, reduce: str = "max"):
        super().__init__()
        if reduce not in _REDUCTIONS:
            raise ValueError(f"AttentionExplainer: reduce must be one of {_REDUCTIONS}, got {reduce!r}")
        self.reduce = reduce

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        layers = [m for m in message_passing_layers(model) if "alpha" in m._message_args]
        if not layers:
            raise ValueError(f"AttentionExplainer: {type(model).__name__} has no attention layer "
                             f"(a MessagePassing layer whose message takes alpha)")
        num_edges = edge_index.size(1)
        recorded: list[Tensor] = []

        def recorder(layer):
            original = type(layer).message

            def message(*args, **margs):
                recorded.append(margs["alpha"].detach())
                return original(layer, *args, **margs)
            return message

        for layer in layers:  # a mask of ones forces the per-edge path, where message runs
            layer.message = recorder(layer)
            layer._edge_mask = torch.ones(num_edges, device=edge_index.device)
        try:
            with torch.no_grad():
                model(x, edge_index, **kwargs)
        finally:
            for layer in layers:
                del layer.message
                layer._edge_mask = None
        per_layer = [_reduce(a[:num_edges].reshape(num_edges, -1), self.reduce, 1) for a in recorded]
        edge_mask = _reduce(torch.stack(per_layer), self.reduce, 0)
        if index is not None and self.model_config.task_level.value == "node":
            edge_mask = edge_mask * computation_edges(model, edge_index, index, x.size(0))
        return self.explanation(x, None, edge_mask)
