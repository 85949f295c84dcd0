"""The recompile gate: ``geode.compile(dynamic=True)`` compiles at most twice over 20 batches.

Models from ``geode_core.nn.models`` (GCN, GraphSAGE, GIN, GAT), real sampled mini-batches
from geode-sampler's ``NeighborLoader`` and a ``to_hetero``'d GraphSAGE, each compiled with
``fullgraph=True`` (the ``eager`` backend, so only Dynamo's tracing and guards are tested),
and each matching eager outputs and gradients on every batch.
"""

from __future__ import annotations

import random

import pytest
import torch

from geode_compile import compile, recompiles, reset_recompiles
from geode_core.nn import GAT, GCN, GIN, GraphSAGE, SAGEConv

BATCHES = 20
MAX_COMPILATIONS = 2
C = 8


def _random_batch(rng: random.Random, step: int):
    n = rng.randint(8, 120)
    e = rng.randint(2 * n, 6 * n)
    gen = torch.Generator().manual_seed(step)
    return torch.randn(n, C, generator=gen), torch.randint(0, n, (2, e), generator=gen)


def _assert_same_step(model, compiled, *inputs) -> None:
    """One forward/backward, compiled and eager: equal outputs and parameter gradients."""
    model.zero_grad(set_to_none=True)
    expected = model(*inputs)
    _total(expected).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad(set_to_none=True)
    got = compiled(*inputs)
    _total(got).backward()
    if isinstance(expected, dict):
        assert got.keys() == expected.keys()
        for key in expected:
            torch.testing.assert_close(got[key], expected[key], rtol=1e-4, atol=1e-5)
    else:
        torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-5)
    for name, grad in grads.items():
        torch.testing.assert_close(model.get_parameter(name).grad, grad, rtol=1e-4, atol=1e-5, msg=name)


def _total(out) -> torch.Tensor:
    values = out.values() if isinstance(out, dict) else [out]
    return sum(v.square().sum() for v in values)


@pytest.mark.parametrize("make", [
    lambda: GCN(C, 16, num_layers=2, out_channels=4),
    lambda: GraphSAGE(C, 16, num_layers=2, out_channels=4),
    lambda: GIN(C, 16, num_layers=2, out_channels=4),
    lambda: GAT(C, 16, num_layers=2, out_channels=4, heads=2),
], ids=["GCN", "GraphSAGE", "GIN", "GAT"])
def test_random_batch_sizes_compile_at_most_twice(make):
    torch.manual_seed(0)
    model = make()
    compiled = compile(model, dynamic=True, fullgraph=True, backend="eager")
    rng = random.Random(0)
    reset_recompiles()
    for step in range(BATCHES):
        x, edge_index = _random_batch(rng, step)
        if step % 5 == 0:  # eager equality on a few batches keeps the gate quick
            _assert_same_step(model, compiled, x, edge_index)
        else:
            assert compiled(x, edge_index).shape == (x.size(0), 4)
    assert 1 <= recompiles() <= MAX_COMPILATIONS


def test_neighbor_loader_batches_compile_at_most_twice():
    sampler = pytest.importorskip("geode_sampler")
    from geode_core.data import Data

    gen = torch.Generator().manual_seed(1)
    n = 400
    data = Data(x=torch.randn(n, C, generator=gen), edge_index=torch.randint(0, n, (2, 3000), generator=gen))
    loader = sampler.NeighborLoader(data, num_neighbors=[5, 3], batch_size=16, shuffle=True)
    torch.manual_seed(0)
    model = GraphSAGE(C, 16, num_layers=2, out_channels=4)
    compiled = compile(model, dynamic=True, fullgraph=True, backend="eager")
    reset_recompiles()
    sizes = set()
    for step, batch in enumerate(loader):
        if step == BATCHES:
            break
        sizes.add(batch.num_nodes)
        if step % 5 == 0:
            _assert_same_step(model, compiled, batch.x, batch.edge_index)
        else:
            compiled(batch.x, batch.edge_index)
    assert len(sizes) > 1  # the batches really vary
    assert 1 <= recompiles() <= MAX_COMPILATIONS


def _hetero_batch(step: int):
    gen = torch.Generator().manual_seed(step)
    rng = random.Random(step)
    num = {"paper": rng.randint(6, 60), "author": rng.randint(6, 60)}
    x = {t: torch.randn(k, C, generator=gen) for t, k in num.items()}
    edges = {}
    for src, rel, dst in (("author", "writes", "paper"), ("paper", "rev_writes", "author"),
                          ("paper", "cites", "paper")):
        e = rng.randint(2 * num[dst], 4 * num[dst])
        edges[(src, rel, dst)] = torch.stack([torch.randint(0, num[src], (e,), generator=gen),
                                              torch.randint(0, num[dst], (e,), generator=gen)])
    return x, edges


class TwoLayerSAGE(torch.nn.Module):
    """GraphSAGE written out (to_hetero traces it with torch.fx)."""

    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = SAGEConv(C, 16), SAGEConv(16, 4)

    def forward(self, x, edge_index):
        return self.conv2(self.conv1(x, edge_index).relu(), edge_index)


def test_to_hetero_graphsage_compiles_at_most_twice():
    hetero = pytest.importorskip("geode_hetero")
    x, edges = _hetero_batch(0)
    torch.manual_seed(0)
    model = hetero.to_hetero(TwoLayerSAGE(), (list(x), list(edges)))
    compiled = compile(model, dynamic=True, fullgraph=True, backend="eager")
    reset_recompiles()
    for step in range(BATCHES):
        x, edges = _hetero_batch(step)
        if step % 5 == 0:
            _assert_same_step(model, compiled, x, edges)
        else:
            out = compiled(x, edges)
            assert {t: v.shape for t, v in out.items()} == {t: (v.size(0), 4) for t, v in x.items()}
    assert 1 <= recompiles() <= MAX_COMPILATIONS


def test_to_hetero_model_matches_eager_with_aot_autograd():
    """The backward of a converted model, traced by AOTAutograd, gives eager's gradients."""
    hetero = pytest.importorskip("geode_hetero")
    x, edges = _hetero_batch(3)
    torch.manual_seed(0)
    model = hetero.to_hetero(TwoLayerSAGE(), (list(x), list(edges)))
    _assert_same_step(model, compile(model, fullgraph=True, backend="aot_eager"), x, edges)
