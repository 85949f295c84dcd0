"""Contract tests of the PopTorch adapter against a fake ``poptorch`` that runs eagerly."""

import sys
import types

import pytest
import torch
import torch.nn.functional as F

from geode_core.nn import GCNConv
from geode_core.nn.aggr import MeanAggregation
from geode_ipu import (
    FixedSizeDataLoader,
    FixedSizeOptions,
    IPUOptions,
    LossInForward,
    combine_batches,
    flatten_batch,
    inference_model,
    masked_cross_entropy,
    mini_batches_per_step,
    poptorch_available,
    training_model,
)


class FakePopTorch(types.ModuleType):
    """Records calls; models split inputs into ``device_iterations`` slices and run eagerly."""

    def __init__(self):
        super().__init__("poptorch")
        self.calls = []
        fake = self

        class Options:
            def __init__(self):
                self.device_iterations, self.replication_factor = 1, 1
                self.Training = types.SimpleNamespace(gradient_accumulation=1)
                self.Training.gradientAccumulation = self._accumulate

            def deviceIterations(self, n):
                fake.calls.append(("deviceIterations", n))
                self.device_iterations = n
                return self

            def replicationFactor(self, n):
                fake.calls.append(("replicationFactor", n))
                self.replication_factor = n
                return self

            def _accumulate(self, n):
                fake.calls.append(("gradientAccumulation", n))
                self.Training.gradient_accumulation = n
                return self

        self.Options = Options

    def identity_loss(self, loss, reduction):
        self.calls.append(("identity_loss", reduction))
        return loss

    def _model(self, model, options, optimizer):
        steps = mini_batches_per_step(options)

        def run(*tensors):
            assert all(isinstance(t, torch.Tensor) for t in tensors)  # PopTorch takes tensors
            outs = []
            for part in zip(*(t.chunk(steps, 0) for t in tensors)):
                out = model(*part)
                if optimizer is not None:
                    out[1].backward()
                    optimizer.step()
                    optimizer.zero_grad()
                outs.append(out)
            return outs[0] if steps == 1 else outs
        return run

    def trainingModel(self, model, options=None, optimizer=None):
        self.calls.append(("trainingModel", model, options, optimizer))
        return self._model(model, options, optimizer)

    def inferenceModel(self, model, options=None):
        self.calls.append(("inferenceModel", model, options))
        return self._model(model, options, None)


@pytest.fixture
def fake_poptorch(monkeypatch):
    fake = FakePopTorch()
    monkeypatch.setitem(sys.modules, "poptorch", fake)
    return fake


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = GCNConv(3, 3, add_self_loops=False)
        self.pool = MeanAggregation()

    def forward(self, batch):
        h = self.conv(batch.x, batch.edge_index)
        return self.pool(h, batch.batch, dim_size=batch.num_graphs)


def graph_loss(out, target, batch):
    return masked_cross_entropy(out, target, batch.graphs_mask)


def test_nothing_imports_poptorch_until_asked():
    import geode_ipu  # noqa: F401

    assert "poptorch" not in sys.modules or isinstance(sys.modules["poptorch"], FakePopTorch)
    if not poptorch_available():
        with pytest.raises(ImportError, match="Poplar SDK"):
            training_model(torch.nn.Linear(1, 1))


def test_flatten_and_rebuild_are_lossless(graphs):
    batch = next(iter(FixedSizeDataLoader(graphs, batch_size=4)))
    batch.note, batch.scale = "a graph batch", torch.tensor(2.0)
    tensors, layout = flatten_batch(batch)
    assert all(isinstance(t, torch.Tensor) and t.dim() >= 1 for t in tensors)
    again = layout.rebuild(tensors)
    assert type(again) is type(batch) and again.num_graphs == batch.num_graphs
    assert again.keys() == batch.keys() and again.note == "a graph batch"
    for key, value in batch:
        if isinstance(value, torch.Tensor):
            assert torch.equal(again[key], value) and again[key].shape == value.shape
    with pytest.raises(ValueError, match="expected"):
        layout.rebuild(tensors[:-1])


def test_options_map_to_poptorch_and_count_mini_batches(fake_poptorch):
    options = IPUOptions(device_iterations=2, replication_factor=3, gradient_accumulation=4)
    assert options.mini_batches_per_step == 24 == mini_batches_per_step(options)
    opts = options.to_poptorch()
    assert fake_poptorch.calls == [("deviceIterations", 2), ("replicationFactor", 3),
                                   ("gradientAccumulation", 4)]
    assert mini_batches_per_step(opts) == 24 and mini_batches_per_step(None) == 1
    with pytest.raises(ValueError, match="device_iterations"):
        IPUOptions(device_iterations=0)


def test_training_model_trains_like_plain_torch(fake_poptorch, graphs):
    torch.manual_seed(0)
    loader = FixedSizeDataLoader(graphs, batch_size=4)
    net = Net()
    reference = Net()
    reference.load_state_dict(net.state_dict())
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    ipu = training_model(LossInForward(net, graph_loss, pass_batch=True), optimizer, IPUOptions())
    name, _, opts, opt = fake_poptorch.calls[-1]
    assert name == "trainingModel" and opt is optimizer and opts.device_iterations == 1
    ref_opt = torch.optim.SGD(reference.parameters(), lr=0.1)
    for batch in loader:
        _, loss = ipu(batch)
        ref_loss = graph_loss(reference(batch), batch.y, batch)
        ref_loss.backward()
        ref_opt.step()
        ref_opt.zero_grad()
        torch.testing.assert_close(loss, ref_loss)
    assert ("identity_loss", "none") in fake_poptorch.calls
    for p, q in zip(net.parameters(), reference.parameters()):
        torch.testing.assert_close(p, q)


def test_loader_combines_mini_batches_per_step(fake_poptorch, graphs):
    options = IPUOptions(device_iterations=2)
    loader = FixedSizeDataLoader(graphs, batch_size=3, options=options)
    plain = list(FixedSizeDataLoader(graphs, batch_size=3))
    combined = list(loader)
    assert len(combined) == len(plain) // 2 and combined[0].num_batches == 2
    net = Net()
    ipu = inference_model(net, options)
    assert fake_poptorch.calls[-1][0] == "inferenceModel"
    with torch.no_grad():
        outs = ipu(combined[0])
        torch.testing.assert_close(outs[0], net(plain[0]))
        torch.testing.assert_close(outs[1], net(plain[1]))


def test_layout_change_and_mixed_batches_are_refused(fake_poptorch, graphs):
    first = next(iter(FixedSizeDataLoader(graphs, batch_size=3)))
    ipu = inference_model(Net())
    ipu(first)
    other = first.clone()
    other.extra = "tag"
    with pytest.raises(ValueError, match="layout"):
        ipu(other)
    bigger = next(iter(FixedSizeDataLoader(graphs, batch_size=3,
                                           fixed_size_options=FixedSizeOptions(99, 99, 3))))
    with pytest.raises(ValueError, match="batch 1 differs"):
        combine_batches([first, bigger])


def test_loss_in_forward_without_target_returns_output(graphs):
    net = torch.nn.Linear(3, 2)
    wrapped = LossInForward(net, F.mse_loss)
    x = torch.randn(4, 3)
    assert torch.equal(wrapped(x), net(x))
    _, loss = wrapped(x, target=torch.zeros(4, 2))
    torch.testing.assert_close(loss, F.mse_loss(net(x), torch.zeros(4, 2)))


@pytest.mark.skipif(not poptorch_available() or isinstance(sys.modules.get("poptorch"), FakePopTorch),
                    reason="PopTorch and an IPU are needed")
def test_real_ipu_inference_matches_cpu(graphs):  # pragma: no cover - needs hardware
    import poptorch

    if not poptorch.ipuHardwareIsAvailable():
        pytest.skip("no IPU attached")
    batch = next(iter(FixedSizeDataLoader(graphs, batch_size=4)))
    net = Net()
    torch.testing.assert_close(inference_model(net)(batch), net(batch), rtol=1e-3, atol=1e-3)
