"""A separately built third-party plugin, installed with pip, used by name."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest
import torch

pytestmark = pytest.mark.skipif(
    not any(d.metadata["Name"] == "geode-example-plugin" for d in metadata.distributions()),
    reason="geode-example-plugin is not installed (nox installs it in the tests session)",
)


def test_example_aggregation_resolves_by_name():
    from geode_core.nn.aggr import resolve_aggregation

    aggr = resolve_aggregation("example")
    x = torch.tensor([[1.0], [2.0], [3.0]])
    index = torch.tensor([0, 0, 1])
    out = aggr(x, index, dim_size=3)
    assert torch.equal(out, torch.tensor([[5.0], [9.0], [0.0]]))


def test_example_kernel_is_registered_with_metadata():
    from geode_core.plugins import get_registry

    (entry,) = [k for k in get_registry().kernels("scatter_sum") if k.name == "example-loop"]
    assert entry.provider == "geode-example-plugin"
    assert entry.meta["device"] == "cpu" and entry.meta["compile_safe"] is False


def test_example_export_in_namespace():
    import geode

    assert geode.nn.aggr.ExampleAggregation.__module__.startswith("geode_example_plugin")


def test_geode_plugins_lists_example():
    out = subprocess.run([sys.executable, "-m", "geode", "plugins"], capture_output=True, text=True)
    assert "geode-example-plugin 0.1.0 [loaded]" in out.stdout
    assert "aggregation: example" in out.stdout
    first_party = ["geode", "geode-core", "geode-aggr", "geode-sampler", "geode-hetero",
                   "geode-compile", "geode-ipu", "geode-stores", "geode-explain"]
    for dist in first_party:
        assert f"{dist} 0.1.0 [loaded]" in out.stdout, dist
    assert out.returncode == 0, out.stderr


def test_example_aggregation_from_a_conv_by_name():
    from geode_core.nn import SAGEConv

    conv = SAGEConv(4, 4, aggr="example", root_weight=False)
    x = torch.randn(3, 4)
    edge_index = torch.tensor([[0, 1], [2, 2]])
    out = conv(x, edge_index)
    assert torch.allclose(out[2], conv.lin_l(x[0] ** 2 + x[1] ** 2), atol=1e-6)
    assert torch.allclose(out[0], conv.lin_l(torch.zeros(4)), atol=1e-6)
