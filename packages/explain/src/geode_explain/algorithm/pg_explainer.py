"""PGExplainer (Luo et al., NeurIPS 2020): an MLP, trained once over many instances, that
predicts each edge's importance from the model's node embeddings."""

from __future__ import annotations

import torch
from torch import Tensor

from ..config import MaskType, ModelTaskLevel
from ..forward import masked_forward
from ..masks import computation_edges, message_passing_layers
from .base import ExplainerAlgorithm, check_epochs, mask_entropy, merge_coeffs

DEFAULT_COEFFS = {"edge_size": 0.05, "edge_ent": 1.0, "temp": (5.0, 2.0), "bias": 0.01}


@torch.no_grad()
def node_embeddings(model: torch.nn.Module, x: Tensor, edge_index: Tensor, **kwargs) -> Tensor:
    """The output of the model's last MessagePassing layer on the unmasked graph."""
    outputs: list[Tensor] = []
    hooks = [layer.register_forward_hook(lambda _m, _i, out: outputs.append(out))
             for layer in message_passing_layers(model)]
    try:
        model(x, edge_index, **kwargs)
    finally:
        for hook in hooks:
            hook.remove()
    if not outputs:
        raise ValueError(f"{type(model).__name__} has no MessagePassing layer to take embeddings from")
    out = outputs[-1]
    return out[0] if isinstance(out, tuple) else out


class PGExplainer(ExplainerAlgorithm):
    """Train with ``algorithm.train(epoch, model, x, edge_index, target=..., index=...)`` for
    ``epoch in range(epochs)``, then explain with the :class:`~geode_explain.Explainer`.

    Edge logits come from an MLP on ``[z_src, z_dst]`` (graph level) or ``[z_src, z_dst,
    z_node]`` (node level), where ``z`` is the last MessagePassing layer's output. Training
    samples concrete (relaxed Bernoulli) masks at a temperature annealed from ``temp[0]``
    to ``temp[1]``; the loss is the model's loss plus ``edge_size * sum(mask) + edge_ent *
    mean(entropy(mask))``. Node-level masks are zero outside the explained node's k-hop
    computation subgraph; several nodes' masks combine by their maximum.

    Args:
        epochs: training epochs (sets the temperature schedule).
        lr: Adam learning rate.
        hidden_channels: width of the MLP's hidden layer.
        **kwargs: coefficient overrides (``edge_size``, ``edge_ent``, ``temp``, ``bias``).
    """

    node_mask_types = (None,)
    edge_mask_types = (MaskType.object,)
    task_levels = (ModelTaskLevel.node, ModelTaskLevel.graph)

    def __init__(self, epochs: int, lr: float = 0.003, hidden_channels: int = 64,
                 **kwargs: float | tuple[float, float]):
        super().__init__()
        check_epochs("PGExplainer", epochs)
        self.epochs, self.lr = epochs, lr
        self.coeffs = merge_coeffs("PGExplainer", DEFAULT_COEFFS, kwargs)
        self.mlp = torch.nn.Sequential(torch.nn.LazyLinear(hidden_channels), torch.nn.ReLU(),
                                       torch.nn.Linear(hidden_channels, 1))
        self.optimizer: torch.optim.Optimizer | None = None
        self.trained_epochs = 0

    def _node_level(self) -> bool:
        return self.model_config.task_level == ModelTaskLevel.node

    def _logits(self, z: Tensor, edge_index: Tensor, node: int | None) -> Tensor:
        parts = [z[edge_index[0]], z[edge_index[1]]]
        if node is not None:
            parts.append(z[node].expand(edge_index.size(1), -1))
        return self.mlp(torch.cat(parts, dim=-1)).view(-1)

    def _concrete(self, logits: Tensor, temperature: float) -> Tensor:
        bias = self.coeffs["bias"]
        eps = (1 - 2 * bias) * torch.rand_like(logits) + bias
        return ((eps.log() - (1 - eps).log() + logits) / temperature).sigmoid()

    def _instances(self, model, x, edge_index, index):
        """(explained node or None, hard edge mask) for each explained instance."""
        if not self._node_level():
            return [(None, None)]
        if index is None:
            raise ValueError("PGExplainer: node-level explanations need index=<node(s)>")
        nodes = torch.as_tensor(index).view(-1).tolist()
        return [(n, computation_edges(model, edge_index, torch.tensor([n]), x.size(0))) for n in nodes]

    def _penalty(self, mask: Tensor) -> Tensor:
        return self.coeffs["edge_size"] * mask.sum() + self.coeffs["edge_ent"] * mask_entropy(mask).mean()

    def train(self, epoch: int | bool = True, model: torch.nn.Module | None = None, x=None,
              edge_index=None, *, target: Tensor | None = None, index=None, **kwargs):
        """One training epoch on the given instances; returns the loss as a float.

        Called as ``train(True/False)`` it is ``torch.nn.Module.train`` (mode switching).
        """
        if model is None:
            return super().train(bool(epoch))
        if not hasattr(self, "model_config"):
            raise ValueError("PGExplainer: build the Explainer with this algorithm before training")
        if target is None:
            raise ValueError("PGExplainer.train needs target=... (the labels to explain)")
        self.check_inputs(x)
        z = node_embeddings(model, x, edge_index, **kwargs)
        start, end = self.coeffs["temp"]
        temperature = start * (end / start) ** (epoch / self.epochs)
        if self.optimizer is None:
            self._logits(z, edge_index[:, :1], 0 if self._node_level() else None)  # init lazy layer
            self.optimizer = torch.optim.Adam(self.mlp.parameters(), lr=self.lr)
        self.optimizer.zero_grad()
        losses = []
        for node, hard in self._instances(model, x, edge_index, index):
            mask = self._concrete(self._logits(z, edge_index, node), temperature)
            if hard is not None:
                mask = mask * hard
            y_hat = masked_forward(model, x, edge_index, None, mask, **kwargs)
            if node is None:
                y_hat, y = self.select(y_hat, index), self.select(target, index)
            else:
                y_hat, y = y_hat[node:node + 1], target[node:node + 1]
            losses.append(self.loss(y_hat, y) + self._penalty(mask if hard is None else mask[hard]))
        loss = torch.stack(losses).mean()
        loss.backward()
        self.optimizer.step()
        self.trained_epochs += 1
        return loss.item()

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        if self.trained_epochs == 0:
            raise ValueError("PGExplainer is not trained: call explainer.algorithm.train(epoch, "
                             "model, x, edge_index, target=..., index=...) for each epoch first")
        z = node_embeddings(model, x, edge_index, **kwargs)
        with torch.no_grad():
            masks = []
            for node, hard in self._instances(model, x, edge_index, index):
                mask = self._logits(z, edge_index, node).sigmoid()
                masks.append(mask if hard is None else mask * hard)
            edge_mask = torch.stack(masks).amax(dim=0)
        return self.explanation(x, None, edge_mask)
