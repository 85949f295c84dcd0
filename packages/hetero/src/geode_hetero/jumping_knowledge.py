"""HeteroJumpingKnowledge: combine each node type's per-layer representations."""

from __future__ import annotations

import torch
from torch import Tensor

from .keys import type_key

MODES = ("cat", "max", "lstm")


class _LSTMAttention(torch.nn.Module):
    """Attention over layers, scored by a bidirectional LSTM run across the layer sequence."""

    def __init__(self, channels: int, num_layers: int):
        super().__init__()
        hidden = (num_layers * channels) // 2
        self.lstm = torch.nn.LSTM(channels, hidden, bidirectional=True, batch_first=True)
        self.att = torch.nn.Linear(2 * hidden, 1)

    def forward(self, stacked: Tensor) -> Tensor:  # [N, L, C]
        score = self.att(self.lstm(stacked)[0]).squeeze(-1)
        return (stacked * torch.softmax(score, dim=-1).unsqueeze(-1)).sum(1)


class HeteroJumpingKnowledge(torch.nn.Module):
    """Jumping knowledge (Xu et al.) per node type: ``forward({type: [x_layer1, ...]})``.

    Args:
        types: the node types.
        mode: ``"cat"`` (concatenate features), ``"max"`` (element-wise max over layers) or
            ``"lstm"`` (attention over layers from a bidirectional LSTM, per type).
        channels: feature size of every layer (``"lstm"`` only).
        num_layers: number of layers (``"lstm"`` only).
    """

    def __init__(self, types: list, mode: str, channels: int | None = None,
                 num_layers: int | None = None):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"HeteroJumpingKnowledge: mode must be one of {MODES}, got {mode!r}")
        self.types, self.mode = list(types), mode
        if mode == "lstm":
            if channels is None or num_layers is None:
                raise ValueError("HeteroJumpingKnowledge: mode='lstm' needs channels and num_layers")
            self.lstm = torch.nn.ModuleDict({type_key(t): _LSTMAttention(channels, num_layers)
                                             for t in self.types})
        else:
            self.lstm = None

    def reset_parameters(self) -> None:
        if self.lstm is not None:
            for module in self.lstm.modules():
                if isinstance(module, (torch.nn.LSTM, torch.nn.Linear)):
                    module.reset_parameters()

    def forward(self, xs_dict: dict) -> dict:
        out = {}
        for t, xs in xs_dict.items():
            if self.mode == "cat":
                out[t] = torch.cat(list(xs), dim=-1)
            elif self.mode == "max":
                out[t] = torch.stack(list(xs)).amax(0)
            else:
                out[t] = self.lstm[type_key(t)](torch.stack(list(xs), dim=1))
        return out

    def __repr__(self) -> str:
        return f"HeteroJumpingKnowledge(num_types={len(self.types)}, mode={self.mode!r})"


__all__ = ["HeteroJumpingKnowledge"]
