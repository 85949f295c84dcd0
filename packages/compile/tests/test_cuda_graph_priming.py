"""With CUDA graphs, graph caches are built eagerly before the first compiled call."""

import torch

from geode_compile import CompiledModule
from geode_core.nn import GCNConv
from geode_core.ops import Adjacency


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = GCNConv(4, 4)
        self.norm = torch.nn.BatchNorm1d(4)
        self.drop = torch.nn.Dropout(0.5)

    def forward(self, x, adj):
        return self.drop(self.norm(self.conv(x, adj)))


def _inputs():
    torch.manual_seed(0)
    edge_index = torch.randint(0, 20, (2, 60))
    return torch.randn(20, 4), Adjacency.from_edge_index(edge_index, size=20)


def test_cuda_graph_mode_fills_empty_adjacency_caches_without_side_effects():
    model = Net().train()
    x, adj = _inputs()
    seen = []

    def compiled(x, adj):  # stands in for the torch.compile'd callable
        seen.append(dict(adj._derived))
        return model(x, adj)

    wrapper = CompiledModule(model, compiled, mark_dynamic=False, cuda_graphs=True)
    stats = model.norm.running_mean.clone()
    wrapper(x, adj)
    assert seen[0], "the Adjacency cache was filled before the compiled call"
    assert model.training
    # the priming call (eval mode, no gradients) did not move the running statistics
    assert model.norm.num_batches_tracked.item() == 1  # only the compiled (real) call counted
    assert not torch.equal(model.norm.running_mean, stats)


def test_without_cuda_graphs_nothing_is_primed():
    model = Net()
    x, adj = _inputs()
    seen = []

    def compiled(x, adj):
        seen.append(dict(adj._derived))
        return model(x, adj)

    CompiledModule(model, compiled, mark_dynamic=False)(x, adj)
    assert seen == [{}]
