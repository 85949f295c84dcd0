"""Typed linear layers: one weight per type, run as one segment / grouped matmul."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from geode_core.nn.conv._utils import linear
from geode_core.ops import grouped_mm
from geode_core.ops.dispatch import kernel_for

from .keys import type_key


class HeteroLinear(torch.nn.Module):
    """``out[n] = x[n] @ W[type_vec[n]] + b[type_vec[n]]``: a linear layer per type.

    Runs the ``hetero_linear`` kernel the registry chooses for ``num_types`` (see
    :mod:`geode_hetero.typed_linear_kernels`): one ``addmm`` per type for few types, rows
    grouped by type into one ``segment_matmul`` for many.

    Args:
        in_channels: input size (the same for every type).
        out_channels: output size.
        num_types: number of types.
        is_sorted: ``type_vec`` is already non-decreasing (skips the sort).
        bias: learn one bias per type.
    """

    def __init__(self, in_channels: int, out_channels: int, num_types: int,
                 is_sorted: bool = False, bias: bool = True):
        super().__init__()
        if in_channels <= 0 or out_channels <= 0 or num_types <= 0:
            raise ValueError(f"HeteroLinear: in_channels, out_channels and num_types must be positive, "
                             f"got {in_channels}, {out_channels}, {num_types}")
        self.in_channels, self.out_channels, self.num_types = in_channels, out_channels, num_types
        self.is_sorted = is_sorted
        self.weight = torch.nn.Parameter(torch.empty(num_types, in_channels, out_channels))
        self.bias = torch.nn.Parameter(torch.empty(num_types, out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.in_channels)
        torch.nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            torch.nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor, type_vec: Tensor) -> Tensor:
        if x.dim() != 2 or x.size(1) != self.in_channels:
            raise ValueError(f"HeteroLinear: x must be [N, {self.in_channels}], got {tuple(x.shape)}")
        if type_vec.shape != (x.size(0),):
            raise ValueError(f"HeteroLinear: type_vec must be [{x.size(0)}] (one type per row), "
                             f"got {tuple(type_vec.shape)}")
        if not torch.compiler.is_compiling() and type_vec.numel() and (
                int(type_vec.min()) < 0 or int(type_vec.max()) >= self.num_types):
            raise ValueError(f"HeteroLinear: type_vec must lie in [0, {self.num_types})")
        kernel = kernel_for("hetero_linear", x, size=self.num_types)
        return kernel(x, type_vec, self.weight, self.bias, self.is_sorted)

    def __repr__(self) -> str:
        return (f"HeteroLinear({self.in_channels}, {self.out_channels}, "
                f"num_types={self.num_types}, bias={self.bias is not None})")


class HeteroDictLinear(torch.nn.Module):
    """One linear layer per key of a dict: ``{t: x_dict[t] @ W_t^T + b_t}``.

    Args:
        in_channels: an int (``-1`` infers each type's size on first call) shared by
            ``types``, or a dict ``{type: in_channels}``.
        out_channels: output size of every type.
        types: the keys (needed unless ``in_channels`` is a dict).
        bias: learn a bias per type.
    """

    def __init__(self, in_channels: int | dict, out_channels: int, types: list | None = None,
                 bias: bool = True):
        super().__init__()
        if isinstance(in_channels, dict):
            types = list(in_channels) if types is None else list(types)
            missing = [t for t in types if t not in in_channels]
            if missing:
                raise ValueError(f"HeteroDictLinear: in_channels has no entry for types {missing}")
        elif types is None:
            raise ValueError("HeteroDictLinear: pass types=[...] when in_channels is an int")
        else:
            types = list(types)
            in_channels = dict.fromkeys(types, in_channels)
        self.types, self.in_channels, self.out_channels = types, in_channels, out_channels
        self.lins = torch.nn.ModuleDict({type_key(t): linear(in_channels[t], out_channels, bias=bias)
                                         for t in types})

    def reset_parameters(self) -> None:
        for lin in self.lins.values():
            if hasattr(lin, "reset_parameters") and not uninitialized(lin):
                lin.reset_parameters()

    def forward(self, x_dict: dict) -> dict:
        keys = [t for t in self.types if t in x_dict]
        lins = [self.lins[type_key(t)] for t in keys]
        for t, lin in zip(keys, lins):
            if uninitialized(lin):
                lin(x_dict[t])  # materialises the lazy weight from this type's feature size
        outs = grouped_mm([x_dict[t] for t in keys], [lin.weight.t() for lin in lins])
        return {t: out if lin.bias is None else out + lin.bias for t, out, lin in zip(keys, outs, lins)}

    def __repr__(self) -> str:
        return f"HeteroDictLinear({self.in_channels}, {self.out_channels})"


def uninitialized(module: torch.nn.Module) -> bool:
    """Whether ``module`` still has lazy parameters waiting for their first input."""
    return any(isinstance(p, torch.nn.parameter.UninitializedParameter) for p in module.parameters())


__all__ = ["HeteroDictLinear", "HeteroLinear"]
