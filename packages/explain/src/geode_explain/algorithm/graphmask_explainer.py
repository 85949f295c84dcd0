"""GraphMaskExplainer (Schlichtkrull et al., ICLR 2021): per-layer hard-concrete gates on
messages, trained to switch off as many messages as possible while keeping the prediction."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

from .._progress import progress
from ..config import MaskType
from ..masks import message_passing_layers
from .base import ExplainerAlgorithm, check_epochs

#: hard-concrete distribution: temperature and stretch interval (Louizos et al., 2018)
BETA, GAMMA, ZETA = 2.0 / 3.0, -0.2, 1.0


@torch.no_grad()
def layer_inputs(model: torch.nn.Module, layers, x, edge_index, **kwargs) -> list[Tensor]:
    """The node features each layer receives on the unmasked graph."""
    inputs: list[Tensor] = []
    hooks = [layer.register_forward_pre_hook(lambda _m, args: inputs.append(args[0])) for layer in layers]
    try:
        model(x, edge_index, **kwargs)
    finally:
        for hook in hooks:
            hook.remove()
    return inputs


class GraphMaskExplainer(ExplainerAlgorithm):
    """One gate per edge and layer, ``gate = hard_concrete(MLP_l([h_src, h_dst]))`` from the
    unmasked model's layer inputs ``h``. Gates are trained for ``epochs`` steps on the
    explained instance to minimise ``penalty_scaling * E[#open gates]`` subject to the
    model's loss on the gated graph staying within ``allowance`` (a Lagrange multiplier,
    initialised at ``init_lambda``, is raised while it does not). The edge mask is the
    mean over layers of the deterministic gates.

    Args:
        num_layers: the model's number of MessagePassing layers (checked).
        epochs: gate training steps.
        lr: Adam learning rate of the gates.
        penalty_scaling: weight of the expected number of open gates.
        lambda_optimizer_lr: learning rate of the Lagrange multiplier.
        init_lambda: initial Lagrange multiplier.
        allowance: the model loss tolerated on the gated graph.
        hidden_channels: width of each gate MLP.
        log: show a progress bar.
    """

    node_mask_types = (None,)
    edge_mask_types = (MaskType.object,)

    def __init__(self, num_layers: int, epochs: int = 100, lr: float = 0.01,
                 penalty_scaling: float = 5.0, lambda_optimizer_lr: float = 0.01,
                 init_lambda: float = 0.55, allowance: float = 0.03, hidden_channels: int = 32,
                 log: bool = True):
        super().__init__()
        check_epochs("GraphMaskExplainer", epochs)
        if num_layers < 1:
            raise ValueError(f"GraphMaskExplainer: num_layers must be >= 1, got {num_layers}")
        self.num_layers, self.epochs, self.lr = num_layers, epochs, lr
        self.penalty_scaling, self.lambda_optimizer_lr = penalty_scaling, lambda_optimizer_lr
        self.init_lambda, self.allowance = init_lambda, allowance
        self.hidden_channels, self.log = hidden_channels, log

    def _gates(self, logits: Tensor, training: bool) -> Tensor:
        if training:
            u = torch.rand_like(logits).clamp(1e-6, 1 - 1e-6)
            s = ((u.log() - (1 - u).log() + logits) / BETA).sigmoid()
        else:
            s = logits.sigmoid()
        return (s * (ZETA - GAMMA) + GAMMA).clamp(0.0, 1.0)

    def forward(self, model, x, edge_index, *, target, index=None, **kwargs):
        self.check_inputs(x)
        layers = message_passing_layers(model)
        if len(layers) != self.num_layers:
            raise ValueError(f"GraphMaskExplainer: num_layers={self.num_layers} but the model has "
                             f"{len(layers)} MessagePassing layers")
        hidden = layer_inputs(model, layers, x, edge_index, **kwargs)
        pairs = [torch.cat([h[edge_index[0]], h[edge_index[1]]], dim=-1) for h in hidden]
        mlps = torch.nn.ModuleList([
            torch.nn.Sequential(torch.nn.Linear(p.size(-1), self.hidden_channels), torch.nn.ReLU(),
                                torch.nn.Linear(self.hidden_channels, 1)) for p in pairs]).to(x.device)
        raw_lambda = torch.nn.Parameter(torch.tensor(math.log(math.expm1(self.init_lambda))))
        optimizer = torch.optim.Adam(mlps.parameters(), lr=self.lr)
        lambda_optimizer = torch.optim.RMSprop([raw_lambda], lr=self.lambda_optimizer_lr, centered=True,
                                               maximize=True)
        y = self.select(target, index)
        try:
            for _ in progress(range(self.epochs), self.log, "GraphMaskExplainer"):
                optimizer.zero_grad()
                lambda_optimizer.zero_grad()
                logits = [mlp(p).view(-1) for mlp, p in zip(mlps, pairs)]
                for layer, lg in zip(layers, logits):
                    layer._edge_mask = self._gates(lg, training=True)
                divergence = self.loss(self.select(model(x, edge_index, **kwargs), index), y)
                shift = BETA * math.log(-GAMMA / ZETA)
                open_gates = torch.stack([(lg - shift).sigmoid().mean() for lg in logits]).mean()
                loss = self.penalty_scaling * open_gates + \
                    F.softplus(raw_lambda) * (divergence - self.allowance)
                loss.backward()
                optimizer.step()
                lambda_optimizer.step()
        finally:
            for layer in layers:
                layer._edge_mask = None
        with torch.no_grad():
            edge_mask = torch.stack([self._gates(mlp(p).view(-1), training=False)
                                     for mlp, p in zip(mlps, pairs)]).mean(dim=0)
        return self.explanation(x, None, edge_mask)
