"""Converted models on hand-built heterogeneous mini-batches (seeds first per type, as a
neighbour loader lays them out): seed outputs equal the full-graph outputs when the batch
holds the seeds' whole two-hop in-neighbourhood."""

import torch

from geode_core.data import HeteroData
from geode_core.nn import SAGEConv
from geode_hetero import HeteroConv, to_hetero


class TwoLayer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = SAGEConv(-1, 8)
        self.conv2 = SAGEConv(8, 3)

    def forward(self, x, edge_index):
        return self.conv2(self.conv1(x, edge_index).relu(), edge_index)


def _full_graph():
    g = torch.Generator().manual_seed(0)
    data = HeteroData()
    data["user"].x = torch.randn(30, 5, generator=g)
    data["item"].x = torch.randn(20, 7, generator=g)
    buys = torch.stack([torch.randint(0, 30, (80,), generator=g), torch.randint(0, 20, (80,), generator=g)])
    data["user", "buys", "item"].edge_index = buys
    data["item", "rev", "user"].edge_index = buys.flip(0)
    data["user", "knows", "user"].edge_index = torch.randint(0, 30, (2, 60), generator=g)
    return data


def _mini_batch(data, seeds: dict, hops: int = 2) -> HeteroData:
    """The seeds' ``hops``-hop in-neighbourhood; each type's seeds come first, in order."""
    keep = {t: list(seeds.get(t, [])) for t in data.node_types}
    frontier = {t: set(v) for t, v in keep.items()}
    for _ in range(hops):
        new = {t: set() for t in data.node_types}
        for (s, _, d), ei in data.edge_index_dict.items():
            for j, i in ei.t().tolist():
                if i in frontier[d]:
                    new[s].add(j)
        for t in data.node_types:
            fresh = sorted(new[t] - set(keep[t]))
            keep[t] += fresh
        frontier = new
    batch = HeteroData()
    index = {t: {n: k for k, n in enumerate(keep[t])} for t in data.node_types}
    for t in data.node_types:
        batch[t].x = data[t].x[keep[t]]
        batch[t].n_id = torch.tensor(keep[t])
        batch[t].batch_size = len(seeds.get(t, []))
    for (s, r, d), ei in data.edge_index_dict.items():
        pairs = [(index[s][j], index[d][i]) for j, i in ei.t().tolist() if j in index[s] and i in index[d]]
        batch[s, r, d].edge_index = torch.tensor(pairs, dtype=torch.long).t().reshape(2, -1)
    return batch


def test_seed_outputs_of_a_mini_batch_equal_the_full_graph():
    data = _full_graph()
    torch.manual_seed(0)
    model = to_hetero(TwoLayer(), data.metadata())
    full = model(data.x_dict, data.edge_index_dict)
    batch = _mini_batch(data, {"item": [3, 7, 11], "user": [0, 5]})
    out = model(batch.x_dict, batch.edge_index_dict)
    for t in ("item", "user"):
        size = batch[t].batch_size
        assert torch.allclose(out[t][:size], full[t][batch[t].n_id[:size]], atol=1e-5)


def test_hetero_conv_on_a_mini_batch_with_an_empty_edge_type():
    data = _full_graph()
    conv = HeteroConv({e: SAGEConv((-1, -1), 4) for e in data.edge_types})
    batch = _mini_batch(data, {"item": [1]}, hops=1)  # one hop: only edges into the seed
    assert batch["user", "knows", "user"].edge_index.size(1) == 0
    out = conv(batch.x_dict, batch.edge_index_dict)
    full = conv(data.x_dict, data.edge_index_dict)
    assert torch.allclose(out["item"][:1], full["item"][1:2], atol=1e-5)
