"""geode.compile runs compile-safe kernels only: an unsafe kernel is never chosen while tracing."""

from __future__ import annotations

import pytest
import torch

import geode_compile
from geode_core.nn import GATConv, GCNConv
from geode_core.ops import Adjacency
from geode_core.plugins import get_registry, register_plugin, reset_registry


@pytest.fixture
def unsafe_spmm():
    """A top-priority ``spmm_sum`` kernel registered with ``compile_safe=False``; logs its calls."""
    calls = []
    reset_registry()
    fused = next(k for k in get_registry().kernels("spmm_sum") if k.name == "fused").load()

    class Plugin:
        @staticmethod
        def geode_register_kernels(registry):
            def opaque(*args):
                calls.append(torch.compiler.is_compiling())
                return fused(*args)

            registry.add("opaque-test", opaque, op="spmm_sum", compile_safe=False, priority=1000)

    register_plugin(Plugin(), "test-unsafe-kernel")
    yield calls
    reset_registry()


def test_unsafe_kernel_runs_eagerly_but_never_under_compile(unsafe_spmm):
    torch.manual_seed(0)
    conv = GCNConv(4, 3)
    x = torch.randn(7, 4)
    adj = Adjacency.from_edge_index(torch.tensor([[0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 0]]), size=7)
    expected = conv(x, adj)
    assert unsafe_spmm == [False]  # eagerly the highest-priority kernel wins
    unsafe_spmm.clear()

    compiled = geode_compile.compile(conv, fullgraph=True, backend="aot_eager")
    out = compiled(x.requires_grad_(), adj)
    out.sum().backward()
    torch.testing.assert_close(out, expected)
    assert unsafe_spmm == []  # neither traced into the graph nor called by it


def test_first_use_of_kernels_may_be_under_compile(monkeypatch):
    """A model compiled before any eager call resolves its kernels (several ops) while tracing."""
    from geode_core.ops import dispatch

    monkeypatch.setattr(dispatch, "_kernels", type(dispatch)("fresh_kernels"))
    monkeypatch.setattr(dispatch, "_loaded", {})
    torch.manual_seed(0)
    conv = GATConv(4, 3, heads=2)  # segment softmax and SpMM: two kernels in one trace
    x = torch.randn(7, 4)
    edge_index = torch.tensor([[0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 0]])
    out = geode_compile.compile(conv, fullgraph=True, backend="eager")(x, edge_index)
    assert len(dispatch._loaded) >= 2  # resolved while tracing
    torch.testing.assert_close(out, conv(x, edge_index))
