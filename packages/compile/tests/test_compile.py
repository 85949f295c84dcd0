import random

import pytest
import torch
from compile_models import TwoLayer, random_graph

import geode_compile
from geode_compile import CompiledModule, compile, compiling, recompiles, reset_recompiles


def test_forward_and_gradients_match_eager():
    torch.manual_seed(0)
    model = TwoLayer()
    compiled = compile(model, backend="aot_eager")
    x, edge_index = random_graph(30, 90)

    expected = model(x, edge_index)
    expected.square().sum().backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad()

    out = compiled(x, edge_index)
    out.square().sum().backward()
    torch.testing.assert_close(out, expected)
    for name, param in model.named_parameters():
        torch.testing.assert_close(param.grad, grads[name], msg=name)


def test_shares_parameters_and_state_dict_keys():
    model = TwoLayer()
    compiled = compile(model, backend="eager")
    assert isinstance(compiled, CompiledModule)
    assert compiled.original is model
    assert list(compiled.state_dict()) == list(model.state_dict())
    assert [n for n, _ in compiled.named_parameters()] == [n for n, _ in model.named_parameters()]
    assert all(a is b for a, b in zip(compiled.parameters(), model.parameters()))
    assert compiled.conv1 is model.conv1  # attributes reach the original

    with torch.no_grad():
        model.conv1.lin.weight.fill_(0.5)
    assert torch.equal(compiled.state_dict()["conv1.lin.weight"], model.conv1.lin.weight)
    state = {k: torch.zeros_like(v) for k, v in model.state_dict().items()}
    compiled.load_state_dict(state)
    assert torch.equal(model.conv1.lin.weight, torch.zeros_like(model.conv1.lin.weight))


def test_train_eval_propagate():
    model = TwoLayer()
    compiled = compile(model, backend="eager")
    compiled.eval()
    assert not model.training and not model.norm.training
    compiled.train()
    assert model.training and model.norm.training


def test_eval_mode_output_matches_eager():
    model = TwoLayer().eval()
    compiled = compile(model, backend="eager")
    x, edge_index = random_graph(12, 40)
    with torch.no_grad():
        torch.testing.assert_close(compiled(x, edge_index), model(x, edge_index))


def test_dynamic_node_and_edge_counts_compile_at_most_twice():
    model = TwoLayer()
    compiled = compile(model, dynamic=True, backend="eager")
    rng = random.Random(0)
    reset_recompiles()
    for step in range(20):
        x, edge_index = random_graph(rng.randint(5, 200), rng.randint(5, 600), seed=step)
        out = compiled(x, edge_index)
        assert out.shape == (x.size(0), 4)
    assert 1 <= recompiles() <= 2


def test_static_compile_recompiles_on_new_sizes_and_reset_counts_from_zero():
    compiled = compile(TwoLayer(), dynamic=False, backend="eager")
    reset_recompiles()
    for n in (10, 11, 12):
        compiled(*random_graph(n, 3 * n))
    assert recompiles() == 3
    reset_recompiles()
    assert recompiles() == 0


def test_compiling_flag():
    assert compiling() is False
    seen = []

    def fn(x):
        if compiling():
            seen.append(True)
            return x + 1
        return x - 1

    out = torch.compile(fn, backend="eager", fullgraph=True)(torch.zeros(2))
    assert seen and torch.equal(out, torch.ones(2))


def test_compile_accepts_a_function():
    fn = compile(lambda x: x * 2, backend="eager")
    assert torch.equal(fn(torch.ones(3)), torch.full((3,), 2.0))


def test_compile_rejects_non_callables():
    with pytest.raises(TypeError, match="model must be"):
        compile(3)


def test_registered_backend_and_exports():
    from geode_compile import plugin
    from geode_core.plugins import get_registry, register_plugin, reset_registry

    reset_registry(autoload=False)
    try:
        register_plugin(plugin, "geode-compile", "0.1.0")
        registry = get_registry()
        assert "inductor" in registry.names("compile_backend")
        exports = registry.exports("compile")
        for name in ("compile", "explain", "recompiles", "reset_recompiles", "StaticStepRunner"):
            assert name in exports
            assert name in geode_compile.__all__
    finally:
        reset_registry()


def test_geode_namespace_is_callable():
    import geode

    compiled = geode.compile(TwoLayer(), backend="eager")
    assert isinstance(compiled, CompiledModule)
    assert geode.compile.explain is geode_compile.explain


def test_backend_name_resolves_through_registry():
    from geode_core.plugins import get_registry, register_plugin, reset_registry

    calls = []

    class Plugin:
        @staticmethod
        def geode_register_compile_backends(registry):
            def counting(gm, example_inputs):
                calls.append(len(example_inputs))
                return gm.forward

            registry.add("counting-test", counting)

    reset_registry(autoload=False)
    try:
        register_plugin(Plugin(), "test-plugin")
        get_registry()
        model = TwoLayer()
        x, edge_index = random_graph(10, 20)
        out = compile(model, backend="counting-test")(x, edge_index)
        torch.testing.assert_close(out, model(x, edge_index))
        assert calls
    finally:
        reset_registry()


def test_compiled_gcn_keeps_its_normalised_graph_on_the_adjacency():
    """The normalised graph is built by the first compiled call only, then read from the cache."""
    from geode_core.nn import GCNConv
    from geode_core.ops import Adjacency

    conv = GCNConv(8, 4)
    x, edge_index = random_graph(30, 90)
    adj = Adjacency.from_edge_index(edge_index, size=30)
    compiled = compile(conv, fullgraph=True, backend="eager")
    reset_recompiles()
    outs = [compiled(x, adj) for _ in range(4)]
    assert any(isinstance(key, tuple) and key[0] == "gcn" for key in adj._derived)
    assert recompiles() == 2  # the building graph, then the one reading the cache
    fresh = Adjacency.from_edge_index(edge_index, size=30)  # an empty cache: the first graph again
    outs.append(compiled(x, fresh))
    assert recompiles() == 2
    expected = conv(x, adj)
    for out in outs:
        torch.testing.assert_close(out, expected)


def test_static_inputs_on_cpu_run_the_compiled_model_without_capture():
    from geode_core.nn import GCNConv
    from geode_core.ops import Adjacency

    conv = GCNConv(8, 4)
    x, edge_index = random_graph(30, 90)
    adj = Adjacency.from_edge_index(edge_index, size=30)
    compiled = compile(conv, mode="reduce-overhead", static_inputs=True, backend="aot_eager")
    out = compiled(x, adj)
    torch.testing.assert_close(out, conv(x, adj))
    assert compiled._graphed is not None and not compiled._graphed._captured
    assert compile(conv, static_inputs=True)._graphed is None  # no CUDA graphs asked for
