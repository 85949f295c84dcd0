"""MessageNorm (Li et al., DeeperGCN): rescale messages to the norm of the node features."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


class MessageNorm(torch.nn.Module):
    """``x' = s * ||x||_p * m / ||m||_p`` (per node); ``learn_scale`` makes ``s`` trainable."""

    def __init__(self, learn_scale: bool = False, device=None):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.ones(1, device=device), requires_grad=learn_scale)

    def reset_parameters(self) -> None:
        with torch.no_grad():
            self.scale.fill_(1.0)

    def forward(self, x: Tensor, msg: Tensor, p: float = 2.0) -> Tensor:
        return F.normalize(msg, p=p, dim=-1) * x.norm(p=p, dim=-1, keepdim=True) * self.scale

    def __repr__(self) -> str:
        return f"MessageNorm(learn_scale={self.scale.requires_grad})"
