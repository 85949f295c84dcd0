"""PNAConv: principal neighbourhood aggregation (Corso et al.)."""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.plugins import get_registry

from ..message_passing import MessagePassing
from ..resolver import activation_resolver
from ._utils import linear


def _degree_scaler(aggregators, scalers, deg, train_norm: bool):
    try:
        cls = get_registry().load("aggregation", "degree_scaler")
    except LookupError as exc:
        raise ImportError("PNAConv needs the 'degree_scaler' aggregation of geode-aggr "
                          "(pip install geode-aggr)") from exc
    return cls(list(aggregators), list(scalers), deg, train_norm=train_norm)


class PNAConv(MessagePassing):
    """``x_i' = lin(||_towers U([x_i, scale(aggr_j M([x_i, x_j, e_ij]))]))``.

    ``M`` (pre-layers) and ``U`` (post-layers) are per-tower MLPs; every aggregator in
    ``aggregators`` (e.g. ``["mean", "min", "max", "std"]``) is combined with every degree
    scaler in ``scalers`` (``"identity"``, ``"amplification"``, ``"attenuation"``,
    ``"linear"``, ``"inverse_linear"``) normalised by the training in-degree histogram
    ``deg``. The degree scalers are geode-aggr's ``DegreeScalerAggregation``: without
    geode-aggr the constructor raises an ImportError. Args follow PyG: ``in_channels``,
    ``out_channels``, ``aggregators``, ``scalers``, ``deg``, ``edge_dim``, ``towers``,
    ``pre_layers``, ``post_layers``, ``divide_input``, ``act``, ``act_kwargs``, ``train_norm``.
    """

    def __init__(self, in_channels: int, out_channels: int, aggregators: list[str],
                 scalers: list[str], deg: Tensor, edge_dim: int | None = None, towers: int = 1,
                 pre_layers: int = 1, post_layers: int = 1, divide_input: bool = False,
                 act="relu", act_kwargs: dict | None = None, train_norm: bool = False, **kwargs):
        if divide_input and in_channels % towers != 0:
            raise ValueError(f"PNAConv: in_channels ({in_channels}) must be divisible by towers ({towers})")
        if out_channels % towers != 0:
            raise ValueError(f"PNAConv: out_channels ({out_channels}) must be divisible by towers ({towers})")
        aggr = _degree_scaler(aggregators, scalers, deg, train_norm)
        super().__init__(aggr=aggr, node_dim=0, **kwargs)
        self.in_channels, self.out_channels, self.edge_dim = in_channels, out_channels, edge_dim
        self.towers, self.divide_input = towers, divide_input
        self.aggregators, self.scalers = list(aggregators), list(scalers)
        self.F_in = in_channels // towers if divide_input else in_channels
        self.F_out = out_channels // towers
        self.edge_encoder = linear(edge_dim, self.F_in) if edge_dim is not None else None
        parts = 3 if edge_dim is not None else 2
        width = len(self.aggregators) * len(self.scalers) + 1

        def tower_mlp(first_in: int, size: int, layers: int) -> torch.nn.Sequential:
            modules: list[torch.nn.Module] = [linear(first_in, size)]
            for _ in range(layers - 1):
                modules += [activation_resolver(act, **(act_kwargs or {})), linear(size, size)]
            return torch.nn.Sequential(*modules)

        self.pre_nns = torch.nn.ModuleList(
            [tower_mlp(parts * self.F_in, self.F_in, pre_layers) for _ in range(towers)])
        self.post_nns = torch.nn.ModuleList(
            [tower_mlp(width * self.F_in, self.F_out, post_layers) for _ in range(towers)])
        self.lin = linear(out_channels, out_channels)

    def reset_parameters(self) -> None:
        for module in self.modules():
            if module is not self and hasattr(module, "reset_parameters"):
                module.reset_parameters()

    def forward(self, x: Tensor, edge_index, edge_attr: Tensor | None = None) -> Tensor:
        if self.divide_input:
            x = x.view(-1, self.towers, self.F_in)
        else:
            x = x.view(-1, 1, self.F_in).expand(-1, self.towers, -1)
        out = self.propagate(edge_index, x=x, edge_attr=edge_attr)
        out = torch.cat([x, out], dim=-1)
        out = torch.cat([nn(out[:, i]) for i, nn in enumerate(self.post_nns)], dim=-1)
        return self.lin(out)

    def message(self, x_i: Tensor, x_j: Tensor, edge_attr: Tensor | None) -> Tensor:
        parts = [x_i, x_j]
        if self.edge_encoder is not None:
            if edge_attr is None:
                raise ValueError("PNAConv built with edge_dim needs edge_attr")
            e = self.edge_encoder(edge_attr).view(-1, 1, self.F_in).expand(-1, self.towers, -1)
            parts.append(e)
        h = torch.cat(parts, dim=-1)
        return torch.stack([nn(h[:, i]) for i, nn in enumerate(self.pre_nns)], dim=1)

    def __repr__(self) -> str:
        return (f"PNAConv({self.in_channels}, {self.out_channels}, towers={self.towers}, "
                f"edge_dim={self.edge_dim})")

    @staticmethod
    def get_degree_histogram(loader) -> Tensor:
        """The in-degree histogram over the graphs of ``loader`` (for ``deg``)."""
        hist = torch.zeros(1, dtype=torch.long)
        for data in loader:
            n = int(data.num_nodes)
            d = torch.zeros(n, dtype=torch.long).index_add_(
                0, data.edge_index[1], torch.ones(data.edge_index.size(1), dtype=torch.long))
            counts = torch.bincount(d, minlength=hist.numel())
            if counts.numel() > hist.numel():
                hist = torch.cat([hist, hist.new_zeros(counts.numel() - hist.numel())])
            hist = hist + counts
        return hist
