"""Gradient attributions in pure torch: Saliency and Integrated Gradients.

Node attributions are taken with respect to the features ``x``; edge attributions with
respect to an all-ones edge mask scaling every message. A ``[N, F]`` node attribution is
summed to the requested mask type (over features for ``"object"``, over nodes for
``"common_attributes"``). The explained scalar is the summed output at ``index`` (of the
target class for multiclass models).
"""

from __future__ import annotations

import torch

from .._progress import progress
from ..forward import leaves, masked_forward, per_type, reduce_to_mask_type
from .base import ExplainerAlgorithm


class GradientExplainer(ExplainerAlgorithm):
    """Shared plumbing: inputs, gradients at a point, and packaging of attributions."""

    heterogeneous = True

    def _inputs(self, x, edge_index):
        nodes = per_type(x, lambda t: t.detach()) if self.node_mask_type is not None else None
        edges = per_type(edge_index, lambda ei: torch.ones(ei.size(1), device=ei.device)) \
            if self.edge_mask_type is not None else None
        return nodes, edges

    def _gradients(self, model, x, edge_index, scale: float, target, index, kwargs) -> list:
        """Gradients of the explained score at ``scale * (x, edge mask)``."""
        nodes, edges = self._inputs(x, edge_index)
        nodes = per_type(nodes, lambda t: (scale * t).requires_grad_()) if nodes is not None else None
        edges = per_type(edges, lambda m: (scale * m).requires_grad_()) if edges is not None else None
        model_x = nodes if nodes is not None else x
        y_hat = masked_forward(model, model_x, edge_index, None, edges, **kwargs)
        inputs = leaves(nodes) + leaves(edges)
        grads = torch.autograd.grad(self.target_score(y_hat, target, index), inputs, allow_unused=True)
        return [torch.zeros_like(leaf) if g is None else g for leaf, g in zip(inputs, grads)]

    def _package(self, x, edge_index, values: list):
        it = iter(values)
        node = edge = None
        if self.node_mask_type is not None:
            node = per_type(x, lambda _: reduce_to_mask_type(next(it), self.node_mask_type))
        if self.edge_mask_type is not None:
            edge = per_type(edge_index, lambda _: next(it))
        return self.explanation(x, node, edge)


class Saliency(GradientExplainer):
    """Absolute gradients of the explained output (Simonyan et al., 2014)."""

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        grads = self._gradients(model, x, edge_index, 1.0, target, index, kwargs)
        return self._package(x, edge_index, [g.abs() for g in grads])


class IntegratedGradients(GradientExplainer):
    """Integrated Gradients (Sundararajan et al., 2017) from an all-zero baseline.

    ``attribution = input * mean_k grad(f)(alpha_k * input)`` with ``alpha_k = (k + 0.5) / n_steps``
    (midpoint Riemann sum; the edge input is the all-ones mask). Attributions are signed and
    sum to about ``f(input) - f(0)`` (completeness).

    Args:
        n_steps: points on the path from the baseline to the input.
        log: show a progress bar.
    """

    def __init__(self, n_steps: int = 50, log: bool = False):
        super().__init__()
        if n_steps < 1:
            raise ValueError(f"IntegratedGradients: n_steps must be >= 1, got {n_steps}")
        self.n_steps, self.log = n_steps, log

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        total = None
        for k in progress(range(self.n_steps), self.log, "IntegratedGradients"):
            grads = self._gradients(model, x, edge_index, (k + 0.5) / self.n_steps, target, index, kwargs)
            total = grads if total is None else [t + g for t, g in zip(total, grads)]
        nodes, edges = self._inputs(x, edge_index)
        inputs = leaves(nodes) + leaves(edges)
        return self._package(x, edge_index, [i * t / self.n_steps for i, t in zip(inputs, total)])
