"""CaptumExplainer: any Captum attribution method (the ``captum`` extra) applied to node
features and/or an all-ones edge mask."""

from __future__ import annotations

import torch
from torch import Tensor

from ..config import MaskType
from ..forward import masked_forward
from .base import ExplainerAlgorithm


def _captum_attr():
    try:
        import captum.attr
    except ImportError as exc:
        raise ImportError("CaptumExplainer needs captum: pip install 'geode-explain[captum]'") from exc
    return captum.attr


class _ScoreModel(torch.nn.Module):
    """``(nodes [B, N, F], edges [B, E]) -> [B]`` explained scores, one graph pass per row."""

    def __init__(self, algorithm: CaptumExplainer, model, x, edge_index, target, index, kwargs):
        super().__init__()
        self.algorithm, self.model, self.x, self.edge_index = algorithm, model, x, edge_index
        self.target, self.index, self.kwargs = target, index, kwargs

    def forward(self, *inputs: Tensor) -> Tensor:
        it = iter(inputs)
        nodes = next(it) if self.algorithm.node_mask_type is not None else None
        edges = next(it) if self.algorithm.edge_mask_type is not None else None
        batch = inputs[0].size(0)
        scores = []
        for b in range(batch):
            x = nodes[b] if nodes is not None else self.x
            edge_mask = edges[b] if edges is not None else None
            y_hat = masked_forward(self.model, x, self.edge_index, None, edge_mask, **self.kwargs)
            scores.append(self.algorithm.target_score(y_hat, self.target, self.index))
        return torch.stack(scores)


class CaptumExplainer(ExplainerAlgorithm):
    """Run ``captum.attr.<attribution_method>`` (a name or class, e.g. ``"IntegratedGradients"``,
    ``"Saliency"``, ``"InputXGradient"``, ``"Deconvolution"``, ``"GuidedBackprop"``) on the
    node features (``node_mask_type="attributes"``) and an all-ones edge mask
    (``edge_mask_type="object"``). The explained scalar is the one of the pure-torch gradient
    methods. ``**kwargs`` go to ``attribute()``; IntegratedGradients defaults to
    ``internal_batch_size=1`` (one graph pass per path point).
    """

    node_mask_types = (None, MaskType.attributes)
    edge_mask_types = (None, MaskType.object)

    def __init__(self, attribution_method: str | type, **kwargs):
        super().__init__()
        attr = _captum_attr()
        if isinstance(attribution_method, str):
            if not hasattr(attr, attribution_method):
                raise ValueError(f"CaptumExplainer: captum.attr has no method {attribution_method!r}")
            attribution_method = getattr(attr, attribution_method)
        self.attribution_method = attribution_method
        self.kwargs = dict(kwargs)
        if attribution_method.__name__ == "IntegratedGradients":
            self.kwargs.setdefault("internal_batch_size", 1)

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        inputs = []
        if self.node_mask_type is not None:
            inputs.append(x.detach().unsqueeze(0).requires_grad_())
        if self.edge_mask_type is not None:
            inputs.append(torch.ones(1, edge_index.size(1), device=edge_index.device, requires_grad=True))
        scorer = _ScoreModel(self, model, x, edge_index, target, index, kwargs)
        method = self.attribution_method(scorer)
        attributions = method.attribute(tuple(inputs), **self.kwargs)
        it = iter(a.squeeze(0).detach() for a in attributions)
        node_mask = next(it) if self.node_mask_type is not None else None
        edge_mask = next(it) if self.edge_mask_type is not None else None
        return self.explanation(x, node_mask, edge_mask)
