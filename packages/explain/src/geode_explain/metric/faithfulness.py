"""Unfaithfulness of an explanation (GraphFramEx, Agarwal et al., 2023)."""

from __future__ import annotations

import torch

from ..config import MaskType


def unfaithfulness(explainer, explanation, top_k: int | None = None) -> float:
    """``1 - exp(-KL(p || p_S))``, where ``p`` is the model's class distribution on the full
    input and ``p_S`` on the input with the explanation's masks applied (with ``top_k``, the
    node-feature mask keeps its ``top_k`` largest features per node, as 1, and the rest 0).
    0 means the explanation alone reproduces the prediction. Classification models only."""
    config = explainer.model_config
    if config.mode.value == "regression":
        raise ValueError("unfaithfulness compares class distributions; not defined for regression")
    node_mask, edge_mask = explanation.get("node_mask"), explanation.get("edge_mask")
    if top_k is not None:
        if node_mask is None or explainer.explainer_config.node_mask_type == MaskType.object:
            raise ValueError("top_k needs a feature-level node mask (node_mask_type "
                             "'attributes' or 'common_attributes')")
        top = node_mask.topk(min(top_k, node_mask.size(-1)), dim=-1).indices
        node_mask = torch.zeros_like(node_mask).scatter_(-1, top, 1.0)
    kwargs = explanation.model_kwargs()
    index = explanation.get("index")
    full = explainer.get_prediction(explanation.x, explanation.edge_index, **kwargs)
    masked = explainer.get_masked_prediction(explanation.x, explanation.edge_index, node_mask,
                                             edge_mask, **kwargs)
    if index is not None:
        full, masked = full[index], masked[index]
    p, q = explainer.algorithm.probs(full), explainer.algorithm.probs(masked)
    if config.mode.value == "binary_classification":
        p, q = torch.stack([1 - p, p], -1), torch.stack([1 - q, q], -1)
    eps = 1e-15
    kl = (p * ((p + eps).log() - (q + eps).log())).sum(-1).mean()
    return float(1.0 - torch.exp(-kl))
