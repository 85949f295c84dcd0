"""ExplainerAlgorithm: the interface every explanation algorithm implements.

An algorithm declares what it supports in class attributes; :meth:`connect` checks the
explainer's configuration against them, so an unsupported combination fails when the
:class:`~geode_explain.Explainer` is built, naming the option and what is supported.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from ..config import (
    ExplainerConfig,
    ExplanationType,
    MaskType,
    ModelConfig,
    ModelMode,
    ModelReturnType,
    ModelTaskLevel,
)
from ..explanation import Explanation, HeteroExplanation

ALL_MASKS = (None, MaskType.object, MaskType.common_attributes, MaskType.attributes)


def merge_coeffs(algorithm: str, defaults: dict, overrides: dict) -> dict:
    """``defaults`` updated by ``overrides``; unknown names raise TypeError listing the known."""
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise TypeError(f"{algorithm}: unknown coefficient(s) {sorted(unknown)}; known: "
                        f"{sorted(defaults)}")
    return {**defaults, **overrides}


def check_epochs(algorithm: str, epochs: int) -> None:
    if epochs < 1:
        raise ValueError(f"{algorithm}: epochs must be >= 1, got {epochs}")


def mask_entropy(mask: Tensor, eps: float = 1e-15) -> Tensor:
    """Element-wise binary entropy of a mask in [0, 1] (low when the mask is near 0 or 1)."""
    return -mask * torch.log(mask + eps) - (1 - mask) * torch.log(1 - mask + eps)


class ExplainerAlgorithm(torch.nn.Module):
    """Base class. Subclasses implement :meth:`forward` and narrow the declarations below."""

    #: supported ``explanation_type`` values
    explanation_types: tuple = (ExplanationType.model, ExplanationType.phenomenon)
    #: supported ``node_mask_type`` values (None: no node mask)
    node_mask_types: tuple = ALL_MASKS
    #: supported ``edge_mask_type`` values
    edge_mask_types: tuple = (None, MaskType.object)
    #: supported ``model_config['task_level']`` values
    task_levels: tuple = (ModelTaskLevel.node, ModelTaskLevel.edge, ModelTaskLevel.graph)
    #: supported ``model_config['mode']`` values
    modes: tuple = (ModelMode.binary_classification, ModelMode.multiclass_classification,
                    ModelMode.regression)
    #: whether dict (heterogeneous) inputs are supported
    heterogeneous: bool = False

    explainer_config: ExplainerConfig
    model_config: ModelConfig

    def connect(self, explainer_config: ExplainerConfig, model_config: ModelConfig) -> None:
        """Adopt the explainer's configuration; raises ValueError if it is unsupported."""
        name = type(self).__name__
        checks = (("explanation_type", explainer_config.explanation_type, self.explanation_types),
                  ("node_mask_type", explainer_config.node_mask_type, self.node_mask_types),
                  ("edge_mask_type", explainer_config.edge_mask_type, self.edge_mask_types),
                  ("model_config['task_level']", model_config.task_level, self.task_levels),
                  ("model_config['mode']", model_config.mode, self.modes))
        for argument, value, supported in checks:
            if value not in supported:
                shown = ", ".join("None" if s is None else repr(s.value) for s in supported)
                given = "None" if value is None else repr(value.value)
                raise ValueError(f"{name} does not support {argument}={given}; supported: {shown}")
        self.explainer_config, self.model_config = explainer_config, model_config
        self.check_config()

    def check_config(self) -> None:
        """Further rules of a subclass on ``self.explainer_config`` / ``self.model_config``."""

    def forward(self, model: torch.nn.Module, x, edge_index, *, target: Tensor,
                index: Any = None, **kwargs) -> Explanation | HeteroExplanation:
        """Explain ``model``'s output at ``index`` for ``target``."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def check_inputs(self, x) -> None:
        """Fail clearly on heterogeneous inputs when the algorithm has no hetero support."""
        if isinstance(x, dict) and not self.heterogeneous:
            raise ValueError(f"{type(self).__name__} does not support heterogeneous inputs "
                             f"(x is a dict)")

    # -- helpers for subclasses -------------------------------------------------------------
    @property
    def node_mask_type(self) -> MaskType | None:
        return self.explainer_config.node_mask_type

    @property
    def edge_mask_type(self) -> MaskType | None:
        return self.explainer_config.edge_mask_type

    @staticmethod
    def select(value: Tensor, index) -> Tensor:
        """The rows of ``value`` at ``index`` (all rows when index is None)."""
        return value if index is None else value[index]

    def log_probs(self, y_hat: Tensor) -> Tensor:
        """Multiclass model output as log-probabilities, whatever its return type."""
        rt = self.model_config.return_type
        if rt == ModelReturnType.raw:
            return y_hat.log_softmax(dim=-1)
        if rt == ModelReturnType.probs:
            return y_hat.clamp_min(1e-15).log()
        return y_hat

    def probs(self, y_hat: Tensor) -> Tensor:
        """Classifier output as probabilities (binary: of the positive class)."""
        if self.model_config.mode == ModelMode.binary_classification:
            return y_hat.sigmoid() if self.model_config.return_type == ModelReturnType.raw else y_hat
        return self.log_probs(y_hat).exp()

    def loss(self, y_hat: Tensor, y: Tensor) -> Tensor:
        """The prediction loss of ``y_hat`` against ``y``, by the model's mode and return type."""
        mode = self.model_config.mode
        if mode == ModelMode.binary_classification:
            y = y.view_as(y_hat).to(y_hat.dtype)
            if self.model_config.return_type == ModelReturnType.raw:
                return F.binary_cross_entropy_with_logits(y_hat, y)
            return F.binary_cross_entropy(y_hat.clamp(1e-15, 1 - 1e-15), y)
        if mode == ModelMode.multiclass_classification:
            return F.nll_loss(self.log_probs(y_hat).view(-1, y_hat.size(-1)), y.view(-1).long())
        return F.mse_loss(y_hat, y.view_as(y_hat).to(y_hat.dtype))

    def target_score(self, y_hat: Tensor, target: Tensor, index) -> Tensor:
        """A scalar whose gradient explains the selected outputs: the summed output of the
        target class (classification) or the summed output (binary, regression)."""
        y_hat, target = self.select(y_hat, index), self.select(target, index)
        if self.model_config.mode == ModelMode.multiclass_classification:
            return y_hat.reshape(-1, y_hat.size(-1)).gather(1, target.reshape(-1, 1).long()).sum()
        return y_hat.sum()

    @staticmethod
    def explanation(x, node_mask=None, edge_mask=None) -> Explanation | HeteroExplanation:
        """An Explanation (or HeteroExplanation when the masks are dicts) holding the masks."""
        if not isinstance(x, dict):
            return Explanation(node_mask=node_mask, edge_mask=edge_mask)
        out = HeteroExplanation()
        for nt, mask in (node_mask or {}).items():
            out[nt].node_mask = mask
        for et, mask in (edge_mask or {}).items():
            out[et].edge_mask = mask
        return out
