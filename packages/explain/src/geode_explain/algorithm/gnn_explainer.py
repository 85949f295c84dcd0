"""GNNExplainer (Ying et al., NeurIPS 2019): learn soft node-feature and edge masks that keep
the model's prediction while staying small and near-binary."""

from __future__ import annotations

import math

import torch

from .._progress import progress
from ..forward import leaves, masked_forward, node_mask_shape, per_type
from .base import ExplainerAlgorithm, check_epochs, mask_entropy, merge_coeffs

#: regularisation coefficients (size and entropy penalties of the masks)
DEFAULT_COEFFS = {"edge_size": 0.005, "edge_reduction": "sum", "node_feat_size": 1.0,
                  "node_feat_reduction": "mean", "edge_ent": 1.0, "node_feat_ent": 0.1,
                  "EPS": 1e-15}


def _reduce(value, how: str):
    if how not in ("sum", "mean"):
        raise ValueError(f"GNNExplainer: a reduction coefficient must be 'sum' or 'mean', got {how!r}")
    return value.sum() if how == "sum" else value.mean()


class GNNExplainer(ExplainerAlgorithm):
    """Optimise ``sigmoid`` masks for ``epochs`` Adam steps at learning rate ``lr``.

    Loss: the model's loss on the masked input against the target, plus
    ``edge_size * reduce(mask) + edge_ent * mean(entropy(mask))`` for edges and the same with
    ``node_feat_*`` for node masks (coefficients overridable through keyword arguments).
    Masks of nodes and edges that cannot reach the explained outputs (zero gradient) are 0.
    Supports every task level and mask type, and heterogeneous models.

    Args:
        epochs: optimisation steps.
        lr: Adam learning rate.
        log: show a progress bar.
        **kwargs: coefficient overrides (see ``DEFAULT_COEFFS``).
    """

    heterogeneous = True

    def __init__(self, epochs: int = 100, lr: float = 0.01, log: bool = True, **kwargs: float | str):
        super().__init__()
        check_epochs("GNNExplainer", epochs)
        self.epochs, self.lr, self.log = epochs, lr, log
        self.coeffs = merge_coeffs("GNNExplainer", DEFAULT_COEFFS, kwargs)

    def _init_masks(self, x, edge_index):
        node = edge = None
        if self.node_mask_type is not None:
            node = per_type(x, lambda t: torch.nn.Parameter(
                0.1 * torch.randn(node_mask_shape(self.node_mask_type, t), device=t.device)))
        if self.edge_mask_type is not None:
            def edge_param(ei):
                n = int(ei.max()) + 1 if ei.numel() else 1
                std = torch.nn.init.calculate_gain("relu") * math.sqrt(2.0 / (2 * n))
                return torch.nn.Parameter(torch.randn(ei.size(1), device=ei.device) * std)
            edge = per_type(edge_index, edge_param)
        return node, edge

    def _regulariser(self, mask, prefix: str):
        c, total = self.coeffs, 0.0
        for param in leaves(mask):
            m = param.sigmoid()
            total = total + c[f"{prefix}_size"] * _reduce(m, c[f"{prefix}_reduction"])
            total = total + c[f"{prefix}_ent"] * mask_entropy(m, c["EPS"]).mean()
        return total

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        node_param, edge_param = self._init_masks(x, edge_index)
        params = leaves(node_param) + leaves(edge_param)
        optimizer = torch.optim.Adam(params, lr=self.lr)
        reached = None
        for epoch in progress(range(self.epochs), self.log, "GNNExplainer"):
            optimizer.zero_grad()
            node_mask = per_type(node_param, torch.sigmoid) if node_param is not None else None
            edge_mask = per_type(edge_param, torch.sigmoid) if edge_param is not None else None
            y_hat = masked_forward(model, x, edge_index, node_mask, edge_mask, **kwargs)
            loss = self.loss(self.select(y_hat, index), self.select(target, index))
            if epoch == 0:  # entries with no gradient cannot influence the explained outputs
                grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
                reached = [torch.zeros_like(p, dtype=torch.bool) if g is None else g != 0
                           for p, g in zip(params, grads)]
            loss = loss + self._regulariser(edge_param, "edge") + self._regulariser(node_param, "node_feat")
            loss.backward()
            optimizer.step()
        final = [p.detach().sigmoid() * hard for p, hard in zip(params, reached)]
        return self.explanation(x, *self._unflatten(final, node_param, edge_param))

    def _unflatten(self, values, node_param, edge_param):
        it = iter(values)

        def rebuild(mask):
            if mask is None:
                return None
            if isinstance(mask, dict):
                return {key: next(it) for key in mask}
            return next(it)
        return rebuild(node_param), rebuild(edge_param)
