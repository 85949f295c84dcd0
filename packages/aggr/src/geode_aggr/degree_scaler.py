"""PNA degree scalers: rescale an aggregation by a function of each destination's degree."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from geode_core.nn.aggr import Aggregation, resolve_aggregation

from ._segment import bview, prepare, seg_count

SCALERS = ("identity", "amplification", "attenuation", "linear", "inverse_linear")


class DegreeScalerAggregation(Aggregation):
    r"""Applies ``aggr`` and scales its output by each destination's degree ``d`` (PNA).

    With the training-set degree histogram ``deg`` (``deg[i]`` = number of nodes of in-degree
    ``i``), :math:`\delta_{lin}` is the mean degree and :math:`\delta_{log}` the mean of
    :math:`\log(d+1)`. Scalers: ``identity`` (1), ``amplification``
    (:math:`\log(d+1)/\delta_{log}`), ``attenuation`` (:math:`\delta_{log}/\log(d+1)`),
    ``linear`` (:math:`d/\delta_{lin}`), ``inverse_linear`` (:math:`\delta_{lin}/d`). The
    degree is clamped to at least 1 inside the scalers. Outputs of the scalers are
    concatenated along the last dimension.

    Args:
        aggr: an aggregation name, list of names, class or module.
        scaler: one scaler name or a list.
        deg: the in-degree histogram (1-D).
        train_norm: learn the two normalisers, initialised from ``deg``.
        aggr_kwargs: arguments for resolving ``aggr``.
    """

    def __init__(self, aggr: Any, scaler: str | list[str], deg: Tensor,
                 train_norm: bool = False, aggr_kwargs: dict[str, Any] | None = None):
        super().__init__()
        self.aggr = resolve_aggregation(aggr, **(aggr_kwargs or {}))
        scalers = [scaler] if isinstance(scaler, str) else list(scaler)
        for name in scalers:
            if name not in SCALERS:
                raise ValueError(f"DegreeScalerAggregation: scaler must be among {SCALERS}, "
                                 f"got {name!r}")
        self.scaler = scalers
        deg = torch.as_tensor(deg)
        if deg.dim() != 1 or deg.numel() == 0:
            raise ValueError(f"DegreeScalerAggregation: deg must be a non-empty 1-D histogram, "
                             f"got shape {tuple(deg.shape)}")
        deg = deg.to(torch.float64)
        total = deg.sum().clamp(min=1)
        bins = torch.arange(deg.numel(), dtype=torch.float64)
        avg_lin = float((bins * deg).sum() / total)
        avg_log = float(((bins + 1).log() * deg).sum() / total)
        self.init_avg = (max(avg_lin, 1e-12), max(avg_log, 1e-12))
        self.train_norm = train_norm
        if train_norm:
            self.avg_lin = torch.nn.Parameter(torch.tensor(self.init_avg[0]))
            self.avg_log = torch.nn.Parameter(torch.tensor(self.init_avg[1]))
        else:
            self.register_buffer("avg_lin", torch.tensor(self.init_avg[0]))
            self.register_buffer("avg_log", torch.tensor(self.init_avg[1]))
        self.requires_sorted_index = self.aggr.requires_sorted_index

    def reset_parameters(self) -> None:
        with torch.no_grad():
            self.avg_lin.fill_(self.init_avg[0])
            self.avg_log.fill_(self.init_avg[1])
        if hasattr(self.aggr, "reset_parameters"):
            self.aggr.reset_parameters()

    def forward(self, x: Tensor, index: Tensor | None = None, ptr: Tensor | None = None,
                dim_size: int | None = None, dim: int = -2) -> Tensor:
        index, dim_size, dim = prepare(type(self).__name__, x, index, ptr, dim_size, dim)
        out = self.aggr(x, index, None, dim_size, dim)
        d = bview(seg_count(x, index, dim_size).clamp(min=1), out, dim)
        avg_lin = self.avg_lin.to(out.dtype)
        avg_log = self.avg_log.to(out.dtype)
        outs = []
        for name in self.scaler:
            if name == "identity":
                outs.append(out)
            elif name == "amplification":
                outs.append(out * ((d + 1).log() / avg_log))
            elif name == "attenuation":
                outs.append(out * (avg_log / (d + 1).log()))
            elif name == "linear":
                outs.append(out * (d / avg_lin))
            else:
                outs.append(out * (avg_lin / d))
        return outs[0] if len(outs) == 1 else torch.cat(outs, dim=-1)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.aggr!r}, scaler={self.scaler})"
