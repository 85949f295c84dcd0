"""Geode demo: train and evaluate a small GNN on built-in data and print the results.

Run with ``nox -s demo`` (sets everything up) or ``python examples/demo.py``.
"""

from __future__ import annotations

import torch

from geode_core.nn.aggr import resolve_aggregation


def two_community_graph(n: int = 400, p_in: float = 0.05, p_out: float = 0.005, seed: int = 0):
    """A stochastic block model with two communities and noisy features."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    same = y[:, None] == y[None, :]
    prob = torch.where(same, p_in, p_out)
    adj = torch.rand(n, n, generator=g) < prob
    adj = torch.triu(adj, 1)
    adj = adj | adj.T
    edge_index = adj.nonzero().T
    x = torch.randn(n, 8, generator=g) + 0.3 * y[:, None].float()
    return x, edge_index, y


class MeanGNN(torch.nn.Module):
    def __init__(self, hidden: int, aggr: str):
        super().__init__()
        self.aggr = resolve_aggregation(aggr)
        self.lin1 = torch.nn.Linear(16, hidden)
        self.lin2 = torch.nn.Linear(2 * hidden, 2)

    def forward(self, x, edge_index):
        src, dst = edge_index
        h = torch.cat([x, self.aggr(x[src], dst, dim_size=x.size(0))], dim=-1).relu()
        h = self.lin1(h).relu()
        return self.lin2(torch.cat([h, self.aggr(h[src], dst, dim_size=x.size(0))], dim=-1))


def main() -> None:
    torch.manual_seed(0)
    x, edge_index, y = two_community_graph()
    train = torch.rand(y.numel()) < 0.3
    print(f"graph: {x.size(0)} nodes, {edge_index.size(1)} edges, 2 classes")
    print(f"{'model':12} {'train acc':>10} {'test acc':>10}")
    for aggr in ("mean", "sum", "max"):
        model = MeanGNN(32, aggr)
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        for _ in range(100):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x, edge_index)[train], y[train])
            loss.backward()
            opt.step()
        pred = model(x, edge_index).argmax(-1)
        tr = (pred[train] == y[train]).float().mean().item()
        te = (pred[~train] == y[~train]).float().mean().item()
        print(f"{'gnn-' + aggr:12} {tr:10.3f} {te:10.3f}")


if __name__ == "__main__":
    main()
