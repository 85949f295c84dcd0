"""The graph-break gate: every exported layer, model and aggregation compiles as one graph.

Each is compiled with ``fullgraph=True`` on the ``aot_eager`` backend, which traces the
forward through Dynamo and the backward through AOTAutograd (a break in either fails),
and must give eager's output and gradients. New exports without a case in ``gate_cases``
fail :func:`test_every_export_has_a_case`, so the gate cannot skip new code silently.
"""

from __future__ import annotations

import inspect

import pytest
import torch
from gate_cases import (
    AGGR_INDEX,
    AGGR_SIZE,
    AGGREGATION_CASES,
    AOT_UNSUPPORTED,
    FULLGRAPH_EXCEPTIONS,
    MODULE_CASES,
    X,
)

import geode_core.nn as gnn
from geode_compile import explain

#: abstract bases: every concrete subclass they have is gated instead
BASES = {"MessagePassing", "BasicGNN"}
GATED_PROVIDERS = ("geode-core", "geode-aggr")


def exported_modules() -> set[str]:
    """Module classes of geode_core.nn (and models, pool, norm), plus the pooling functions."""
    found = set()
    for namespace in (gnn, gnn.models, gnn.pool, gnn.norm):
        for name in namespace.__all__:
            obj = getattr(namespace, name)
            is_module = inspect.isclass(obj) and issubclass(obj, torch.nn.Module)
            if is_module or (namespace is gnn.pool and inspect.isfunction(obj)):
                found.add(name)
    return found - BASES


def registered_aggregations() -> set[str]:
    """Class names of the aggregations geode-core and geode-aggr register."""
    from geode_core.plugins import get_registry

    return {entry.load().__name__ for entry in get_registry().entries("aggregation")
            if entry.provider in GATED_PROVIDERS}


def test_every_export_has_a_case():
    missing = exported_modules() - set(MODULE_CASES)
    assert not missing, f"add these exports to gate_cases.MODULE_CASES: {sorted(missing)}"
    missing = registered_aggregations() - set(AGGREGATION_CASES)
    assert not missing, f"add these aggregations to gate_cases.AGGREGATION_CASES: {sorted(missing)}"
    stale = set(FULLGRAPH_EXCEPTIONS) - set(MODULE_CASES) - set(AGGREGATION_CASES)
    assert not stale, f"exceptions without a case: {sorted(stale)}"


def _square_loss(out) -> torch.Tensor:
    return out.square().sum()


def _run(fn, module, x):
    """Output, input gradient and parameter gradients of ``fn(x)``."""
    if module is not None:
        module.zero_grad(set_to_none=True)
    x = x.clone().requires_grad_()
    out = fn(x)
    _square_loss(out).backward()
    params = {} if module is None else {n: p.grad for n, p in module.named_parameters()}
    return out.detach(), x.grad, params


def _check(name: str, module, fn) -> None:
    expected = _run(fn, module, X)
    if name in FULLGRAPH_EXCEPTIONS:  # keep the exception list honest: it must still break
        with pytest.raises(Exception):  # noqa: B017 (dynamo raises several types)
            _run(torch.compile(fn, fullgraph=True, backend="eager"), module, X)
        torch._dynamo.reset()
        compiled = torch.compile(fn, backend="eager" if name in AOT_UNSUPPORTED else "aot_eager")
    else:
        compiled = torch.compile(fn, fullgraph=True, backend="aot_eager")
    try:
        got = _run(compiled, module, X)
    except Exception as err:  # a graph break: say where
        torch._dynamo.reset()
        pytest.fail(f"{name} does not compile fullgraph: {type(err).__name__}: {str(err)[:400]}\n"
                    f"{explain(fn, X.clone().requires_grad_())}")
    torch.testing.assert_close(got[0], expected[0], msg=f"{name}: output")
    torch.testing.assert_close(got[1], expected[1], msg=f"{name}: input gradient")
    for param, grad in expected[2].items():
        torch.testing.assert_close(got[2][param], grad, msg=f"{name}: gradient of {param}")


@pytest.mark.parametrize("name", sorted(MODULE_CASES))
def test_module_compiles_fullgraph(name):
    factory, call = MODULE_CASES[name]
    if name in ("PNAConv", "PNA"):  # degree scalers come from geode-aggr
        pytest.importorskip("geode_aggr")
    torch.manual_seed(0)
    module = factory() if factory is not None else None
    _check(name, module, lambda x: call(module, x))


@pytest.mark.parametrize("name", sorted(AGGREGATION_CASES))
def test_aggregation_compiles_fullgraph(name):
    torch.manual_seed(0)
    aggr = AGGREGATION_CASES[name]()
    _check(name, aggr, lambda x: aggr(x, AGGR_INDEX, dim_size=AGGR_SIZE))
