"""VirtualNode: one extra node joined to every node in both directions."""

from __future__ import annotations

import torch

from ..data import Data
from .base import BaseTransform


class VirtualNode(BaseTransform):
    """Append node ``N`` with edges ``i -> N`` and ``N -> i`` for every node ``i``.

    Node attributes get a zero row for the new node. ``edge_type`` marks the new edges:
    the old edges keep theirs (0 when absent), ``i -> N`` get ``T`` and ``N -> i`` get
    ``T + 1`` where ``T`` is one past the largest old type. Other edge attributes get
    zeros for the new edges, except ``edge_weight`` which gets ones.
    """

    def forward(self, data: Data) -> Data:
        n = int(data.num_nodes or 0)
        ei = data.edge_index
        e = ei.size(1)
        node_keys = [k for k, _ in data if k != "num_nodes" and data.is_node_attr(k)]
        edge_keys = [k for k, _ in data if k != "edge_index" and data.is_edge_attr(k)]
        arange = torch.arange(n, device=ei.device)
        hub = torch.full((n,), n, dtype=ei.dtype, device=ei.device)
        data.edge_index = torch.cat([ei, torch.stack([arange, hub]), torch.stack([hub, arange])], 1)
        old_type = data.get("edge_type")
        if old_type is None:
            old_type = torch.zeros(e, dtype=torch.long, device=ei.device)
        first_new = int(old_type.max()) + 1 if old_type.numel() else 1
        data.edge_type = torch.cat([old_type, torch.full((n,), first_new, device=ei.device),
                                    torch.full((n,), first_new + 1, device=ei.device)]).long()
        for key in edge_keys:
            if key == "edge_type":
                continue
            value = data[key]
            filler = value.new_ones if key == "edge_weight" else value.new_zeros
            data[key] = torch.cat([value, filler((2 * n, *value.shape[1:]))], 0)
        for key in node_keys:
            value = data[key]
            data[key] = torch.cat([value, value.new_zeros((1, *value.shape[1:]))], 0)
        data.num_nodes = n + 1
        return data
