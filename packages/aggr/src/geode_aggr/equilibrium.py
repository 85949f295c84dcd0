"""Equilibrium aggregation: the output minimises a learned energy of the messages."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation

from ._segment import prepare_rows


class EquilibriumAggregation(Aggregation):
    r"""Equilibrium aggregation: :math:`y^* = \arg\min_y \sum_i F(x_i, y) + \lambda \lVert y
    \rVert^2`, approximated by ``grad_iter`` unrolled gradient steps
    :math:`y \leftarrow y - \alpha \nabla_y E(y)` from :math:`y = 0`.

    ``F`` is an MLP on ``[x_i, y]`` with hidden sizes ``num_layers`` (ReLU) and a scalar
    output (no final bias: it cannot move the minimum); the step size :math:`\alpha` is learnable (``softplus`` keeps it positive,
    starting at 0.1). The unrolled steps are differentiated through, so ``F`` and
    :math:`\alpha` learn. Permutation invariant. A destination with no messages stays at 0.
    Not compile-safe: the inner steps call ``torch.autograd.grad``.
    """

    def __init__(self, in_channels: int, out_channels: int, num_layers: list[int],
                 grad_iter: int = 5, lamb: float = 0.1):
        super().__init__()
        if grad_iter < 1:
            raise ValueError(f"EquilibriumAggregation: grad_iter must be >= 1, got {grad_iter}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.grad_iter, self.lamb = grad_iter, lamb
        sizes = [in_channels + out_channels, *num_layers, 1]
        layers: list[torch.nn.Module] = []
        for i in range(len(sizes) - 1):  # the last bias would not move the minimum: none
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], bias=i < len(sizes) - 2))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        self.potential = torch.nn.Sequential(*layers)
        self.raw_step = torch.nn.Parameter(torch.empty(1))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for module in self.potential:
            if isinstance(module, torch.nn.Linear):
                module.reset_parameters()
        with torch.no_grad():  # softplus(raw) = 0.1
            self.raw_step.fill_(float(torch.log(torch.expm1(torch.tensor(0.1)))))

    @property
    def step_size(self) -> Tensor:
        return torch.nn.functional.softplus(self.raw_step)

    def energy(self, x: Tensor, y: Tensor, index: Tensor) -> Tensor:
        """The total energy ``sum_i F(x_i, y[index_i]) + lamb * |y|^2`` (a scalar)."""
        pairs = torch.cat([x, y.index_select(0, index)], dim=-1)
        return self.potential(pairs).sum() + self.lamb * y.pow(2).sum()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size = prepare_rows(self, x, self.in_channels, index, ptr, dim_size, dim)
        differentiable = torch.is_grad_enabled()
        y = x.new_zeros(dim_size, self.out_channels)
        with torch.enable_grad():
            for _ in range(self.grad_iter):
                if not y.requires_grad:
                    y = y.requires_grad_()
                grad, = torch.autograd.grad(self.energy(x, y, index), y, create_graph=differentiable)
                y = y - self.step_size * grad
        return y if differentiable else y.detach()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels}, grad_iter={self.grad_iter})"
