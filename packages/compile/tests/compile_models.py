"""Small plain-torch models for the geode-compile tests."""

import torch
from torch import nn


class SumConv(nn.Module):
    """A tiny message-passing layer: linear messages summed into destinations."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.lin = nn.Linear(in_channels, out_channels)
        self.root = nn.Linear(in_channels, out_channels, bias=False)

    def forward(self, x, edge_index):
        src, dst = edge_index[0], edge_index[1]
        msg = self.lin(x)[src]
        out = torch.zeros(x.size(0), msg.size(1), dtype=msg.dtype, device=msg.device)
        out = out.index_add(0, dst, msg)
        return out + self.root(x)


class TwoLayer(nn.Module):
    def __init__(self, channels: int = 8):
        super().__init__()
        self.conv1 = SumConv(channels, 16)
        self.norm = nn.BatchNorm1d(16)
        self.conv2 = SumConv(16, 4)

    def forward(self, x, edge_index):
        h = self.norm(self.conv1(x, edge_index)).relu()
        return self.conv2(h, edge_index)


class Breaking(TwoLayer):
    def forward(self, x, edge_index):
        h = self.conv1(x, edge_index)
        scale = h.abs().max().item()  # host sync: a graph break
        return self.conv2(h / (scale + 1.0), edge_index)


def random_graph(num_nodes: int, num_edges: int, channels: int = 8, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(num_nodes, channels, generator=gen)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=gen)
    return x, edge_index
