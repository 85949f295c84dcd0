"""JumpingKnowledge (Xu et al.): combine the node representations of every layer."""

from __future__ import annotations

import torch
from torch import Tensor


class JumpingKnowledge(torch.nn.Module):
    """Combine ``[x^(1), ..., x^(L)]`` by ``"cat"`` (concatenation), ``"max"`` (element-wise)
    or ``"lstm"`` (attention weights from a bidirectional LSTM over the layers).

    Args follow PyG: ``mode``, ``channels`` and ``num_layers`` (both needed for ``"lstm"``).
    """

    def __init__(self, mode: str, channels: int | None = None, num_layers: int | None = None):
        super().__init__()
        mode = mode.lower()
        if mode not in ("cat", "max", "lstm"):
            raise ValueError(f"JumpingKnowledge: mode must be 'cat', 'max' or 'lstm', got {mode!r}")
        self.mode, self.channels, self.num_layers = mode, channels, num_layers
        if mode == "lstm":
            if channels is None or num_layers is None:
                raise ValueError("JumpingKnowledge: mode='lstm' needs channels and num_layers")
            hidden = (num_layers * channels) // 2
            self.lstm = torch.nn.LSTM(channels, hidden, bidirectional=True, batch_first=True)
            self.att = torch.nn.Linear(2 * hidden, 1)
        else:
            self.lstm = self.att = None

    def reset_parameters(self) -> None:
        if self.lstm is not None:
            self.lstm.reset_parameters()
            self.att.reset_parameters()

    def forward(self, xs: list[Tensor]) -> Tensor:
        if self.mode == "cat":
            return torch.cat(xs, dim=-1)
        stacked = torch.stack(xs, dim=-2)  # [N, L, C]
        if self.mode == "max":
            return stacked.amax(dim=-2)
        alpha, _ = self.lstm(stacked)
        alpha = torch.softmax(self.att(alpha).squeeze(-1), dim=-1)
        return (stacked * alpha.unsqueeze(-1)).sum(dim=-2)

    def __repr__(self) -> str:
        return f"JumpingKnowledge({self.mode})"
