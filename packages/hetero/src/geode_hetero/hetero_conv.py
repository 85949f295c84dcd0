"""HeteroConv: one convolution per edge type, results combined per destination node type."""

from __future__ import annotations

import warnings

import torch

from .grouping import check_aggr, group
from .keys import type_key


def _edge_input(value: dict, edge_type: tuple):
    """What one edge type's conv receives from a per-type dict argument."""
    src, _, dst = edge_type
    if edge_type in value:
        return value[edge_type]
    if src == dst and src in value:
        return value[src]
    return value.get(src), value.get(dst)


class HeteroConv(torch.nn.Module):
    """Runs ``convs[edge_type]`` on each edge type and combines the results per node type.

    ``forward(x_dict, edge_index_dict, *args_dict, **kwargs_dict)``: each further argument is
    a dict keyed by edge type (passed as is) or node type (passed as ``x_src`` when source and
    destination types agree, else as the pair ``(x_src, x_dst)``); a keyword ``name_dict`` reaches
    the convs as ``name``. Edge types missing from ``edge_index_dict`` are skipped.

    Args:
        convs: ``{(src, rel, dst): conv}``.
        aggr: how results for one node type combine: ``"sum"``, ``"mean"``, ``"max"``,
            ``"min"``, ``"mul"``, ``"cat"`` (feature axis) or ``None`` (stacked on axis 1).
    """

    def __init__(self, convs: dict, aggr: str | None = "sum"):
        super().__init__()
        check_aggr(aggr, "HeteroConv")
        for edge_type in convs:
            if not (isinstance(edge_type, tuple) and len(edge_type) == 3):
                raise ValueError(f"HeteroConv: keys must be (src, rel, dst) edge types, got {edge_type!r}")
        sources = {e[0] for e in convs}
        destinations = {e[-1] for e in convs}
        never_updated = sorted(sources - destinations)
        if never_updated:
            warnings.warn(f"HeteroConv: node types {never_updated} send messages but never receive "
                          "any, so they get no output", stacklevel=2)
        self.edge_types = list(convs)
        self.convs = torch.nn.ModuleDict({type_key(e): conv for e, conv in convs.items()})
        self.aggr = aggr

    def reset_parameters(self) -> None:
        for conv in self.convs.values():
            if hasattr(conv, "reset_parameters"):
                conv.reset_parameters()

    def forward(self, x_dict: dict, edge_index_dict: dict, *args_dict: dict, **kwargs_dict: dict) -> dict:
        results: dict = {}
        for edge_type in self.edge_types:
            if edge_type not in edge_index_dict:
                continue
            src, _, dst = edge_type
            x = x_dict[src] if src == dst else (x_dict.get(src), x_dict.get(dst))
            args = [_edge_input(value, edge_type) for value in args_dict]
            kwargs = {}
            for name, value in kwargs_dict.items():
                if not name.endswith("_dict"):
                    raise ValueError(f"HeteroConv: keyword {name!r} must end in '_dict' (a per-type dict)")
                kwargs[name[:-5]] = _edge_input(value, edge_type)
            out = self.convs[type_key(edge_type)](x, edge_index_dict[edge_type], *args, **kwargs)
            results.setdefault(dst, []).append(out)
        return {node_type: group(outs, self.aggr) for node_type, outs in results.items()}

    def __repr__(self) -> str:
        return f"HeteroConv(num_relations={len(self.edge_types)}, aggr={self.aggr!r})"


__all__ = ["HeteroConv"]
