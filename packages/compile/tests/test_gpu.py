"""CUDA behaviour: Geode layers on the GPU, compiled, and captured in CUDA graphs.

Skipped without a CUDA device (CI has none); run on a GPU machine with ``-m gpu``.
"""

import pytest
import torch

import geode_compile
from geode_core.nn import GCNConv, GINConv, SAGEConv
from geode_core.ops import Adjacency

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]

LAYERS = {
    "gcn": lambda: GCNConv(16, 16),
    "sage": lambda: SAGEConv(16, 16),
    "gin": lambda: GINConv(torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.ReLU(),
                                               torch.nn.Linear(16, 16))),
}


class Net(torch.nn.Module):
    def __init__(self, kind: str):
        super().__init__()
        self.conv1, self.conv2 = LAYERS[kind](), LAYERS[kind]()

    def forward(self, x, graph):
        return self.conv2(self.conv1(x, graph).relu(), graph)


def _graph(num_nodes=200, num_edges=1500, seed=0):
    gen = torch.Generator().manual_seed(seed)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=gen)
    x = torch.randn(num_nodes, 16, generator=gen)
    return x, edge_index


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_cuda_matches_cpu_forward_and_gradients(kind):
    torch.manual_seed(0)
    cpu = Net(kind)
    gpu = Net(kind).cuda()
    gpu.load_state_dict(cpu.state_dict())
    x, edge_index = _graph()
    out_cpu = cpu(x, edge_index)
    out_gpu = gpu(x.cuda(), edge_index.cuda())
    torch.testing.assert_close(out_gpu.cpu(), out_cpu, atol=1e-4, rtol=1e-4)
    out_cpu.square().sum().backward()
    out_gpu.square().sum().backward()
    for (name, p_cpu), p_gpu in zip(cpu.named_parameters(), gpu.parameters()):
        torch.testing.assert_close(p_gpu.grad.cpu(), p_cpu.grad, atol=1e-3, rtol=1e-3, msg=name)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_compiled_fullgraph_on_cuda_matches_eager(kind):
    torch.manual_seed(0)
    model = Net(kind).cuda()
    x, edge_index = (t.cuda() for t in _graph())
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))
    compiled = geode_compile.compile(model, fullgraph=True)
    torch.testing.assert_close(compiled(x, adj), model(x, adj), atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_cuda_graph_training_step_equals_eager_steps(kind):
    torch.manual_seed(0)
    eager = Net(kind).cuda()
    captured = Net(kind).cuda()
    captured.load_state_dict(eager.state_dict())
    x, edge_index = (t.cuda() for t in _graph())
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))

    def make_step(model):
        opt = torch.optim.Adam(model.parameters(), lr=1e-2, capturable=True)

        def step(x_in):
            opt.zero_grad(set_to_none=False)
            loss = model(x_in, adj).square().mean()
            loss.backward()
            opt.step()
            return loss

        return step

    eager_step = make_step(eager)
    runner = geode_compile.StaticStepRunner(make_step(captured), (x,), warmup_steps=2)
    batches = [x * (1 + 0.1 * i) for i in range(6)]
    # the runner's warm-up runs 2 real steps on the first batch before capturing
    for _ in range(2):
        eager_step(batches[0])
    losses = []
    for batch in batches:
        expected = eager_step(batch)
        got = runner(batch)
        losses.append((got.item(), expected.item()))
    assert runner.captured
    for got, expected in losses:
        assert got == pytest.approx(expected, rel=1e-4, abs=1e-6)
    for (name, p), q in zip(eager.named_parameters(), captured.parameters()):
        torch.testing.assert_close(q, p, atol=1e-4, rtol=1e-4, msg=name)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_reduce_overhead_with_a_fresh_adjacency_matches_eager(kind):
    # the graph's caches start empty: geode.compile builds them eagerly, outside the
    # CUDA-graph memory pool, so later replays cannot overwrite them
    torch.manual_seed(0)
    model = Net(kind).cuda()
    x, edge_index = (t.cuda() for t in _graph())
    expected = model(x, Adjacency.from_edge_index(edge_index, size=x.size(0))).detach()
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))
    compiled = geode_compile.compile(model, mode="reduce-overhead")
    for _ in range(4):
        torch.compiler.cudagraph_mark_step_begin()
        model.zero_grad(set_to_none=True)  # gradients from a replay live in the graph's pool
        out = compiled(x, adj)
        out.square().mean().backward()
        torch.testing.assert_close(out.detach(), expected, atol=1e-4, rtol=1e-4)


def test_reduce_overhead_primes_a_graph_another_model_already_used():
    # GCN fills some of the Adjacency's cache; SAGE's mean weights must still be built
    # eagerly, not inside SAGE's CUDA graph (where a later replay would overwrite them)
    x, edge_index = (t.cuda() for t in _graph())
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))
    Net("gcn").cuda()(x, adj)
    torch.manual_seed(0)
    sage = Net("sage").cuda()
    expected = sage(x, Adjacency.from_edge_index(edge_index, size=x.size(0))).detach()
    compiled = geode_compile.compile(sage, mode="reduce-overhead")
    for _ in range(3):
        torch.compiler.cudagraph_mark_step_begin()
        out = compiled(x, adj)
        torch.testing.assert_close(out.detach(), expected, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_static_inputs_are_read_in_place_by_cuda_graphs(kind):
    torch.manual_seed(0)
    model = Net(kind).cuda()
    x, edge_index = (t.cuda() for t in _graph())
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))
    compiled = geode_compile.compile(model, mode="reduce-overhead", static_inputs=True)
    for step in range(4):
        if step == 2:
            x.mul_(2)  # an in-place update is what the captured graph reads next
        torch.compiler.cudagraph_mark_step_begin()
        model.zero_grad(set_to_none=True)
        out = compiled(x, adj)
        out.square().mean().backward()
        expected = model(x, Adjacency.from_edge_index(edge_index, size=x.size(0)))
        torch.testing.assert_close(out.detach(), expected.detach(), atol=1e-4, rtol=1e-4)


def test_static_inputs_training_matches_eager_steps_with_an_optimizer():
    torch.manual_seed(0)
    eager, captured = Net("gcn").cuda(), Net("gcn").cuda()
    captured.load_state_dict(eager.state_dict())
    x, edge_index = (t.cuda() for t in _graph())
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))
    compiled = geode_compile.compile(captured, mode="reduce-overhead", static_inputs=True)
    opts = [torch.optim.SGD(m.parameters(), lr=0.1) for m in (eager, captured)]
    for _ in range(5):
        for call, opt in zip((eager, compiled), opts):
            opt.zero_grad(set_to_none=True)
            call(x, adj).square().mean().backward()
            opt.step()
    for (name, p), q in zip(eager.named_parameters(), captured.parameters()):
        torch.testing.assert_close(q, p, atol=1e-4, rtol=1e-4, msg=name)
    assert len(compiled._graphed._captured) == 1


def test_static_inputs_fall_back_safely():
    torch.manual_seed(0)
    model = Net("sage").cuda()
    x, edge_index = (t.cuda() for t in _graph())
    adj = Adjacency.from_edge_index(edge_index, size=x.size(0))
    compiled = geode_compile.compile(model, mode="reduce-overhead", static_inputs=True)
    compiled(x, adj).sum().backward()
    # two forwards before one backward: the second must not overwrite the first's activations
    first = compiled(x, adj)
    with pytest.warns(RuntimeWarning, match="second forward"):
        second = compiled(x * 2, adj)
    model.zero_grad(set_to_none=True)
    (first.square().sum() + second.sum()).backward()
    got = {n: p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad(set_to_none=True)
    (model(x, adj).square().sum() + model(x * 2, adj).sum()).backward()
    for name, p in model.named_parameters():
        torch.testing.assert_close(got[name], p.grad, atol=1e-4, rtol=1e-4, msg=name)
    # another graph is captured on its own; inference without gradients runs directly
    other = Adjacency.from_edge_index(edge_index.flip(0), size=x.size(0))
    torch.testing.assert_close(compiled(x, other).detach(), model(x, other).detach(), atol=1e-4, rtol=1e-4)
    with torch.no_grad():
        torch.testing.assert_close(compiled(x, adj), model(x, adj), atol=1e-4, rtol=1e-4)
