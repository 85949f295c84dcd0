"""The composed namespace: laziness, resolution through the registry, helpful errors."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib import metadata

import pytest

import geode
from geode._catalogue import CATALOGUE
from geode_core.plugins import MissingPluginError, get_registry


def installed(dist: str) -> bool:
    try:
        metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


def test_import_geode_loads_neither_torch_nor_plugins():
    code = (
        "import sys, geode; "
        "print(sorted(m for m in sys.modules if m == 'torch' or m.startswith('geode_')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_names_resolve_through_the_registry():
    from geode.nn.aggr import SumAggregation
    from geode_core.nn.aggr import SumAggregation as core_sum

    assert SumAggregation is core_sum
    assert "SumAggregation" in dir(geode.nn.aggr)
    assert "aggr" in dir(geode.nn)


def test_unknown_name_lists_what_is_offered():
    with pytest.raises(ImportError, match=r"geode.nn.aggr has no name 'Nope'.*SumAggregation"):
        geode.nn.aggr.Nope  # noqa: B018


def test_catalogued_names_resolve_when_installed():
    """Every name the catalogue promises for an installed distribution really exists."""
    for dist, (_extra, namespaces) in CATALOGUE.items():
        if not installed(dist):
            continue
        for namespace, names in namespaces.items():
            module = importlib.import_module(f"geode.{namespace}")
            for name in names:
                if name != "*":
                    assert getattr(module, name) is not None, (dist, namespace, name)


@pytest.mark.parametrize("dist", sorted(CATALOGUE))
def test_missing_distribution_gives_install_hint(dist, monkeypatch):
    """Absent plugins: names they would provide raise ImportError naming dist and extra."""
    extra, namespaces = CATALOGUE[dist]
    if installed(dist):
        monkeypatch.setattr("geode._namespace._installed", lambda d: d != dist)
        monkeypatch.setenv("GEODE_DISABLE_PLUGINS", dist)
        from geode_core import plugins

        plugins.reset_registry()
    try:
        for namespace, names in namespaces.items():
            module = importlib.import_module(f"geode.{namespace}")
            for name in names:
                attr = "AnyName" if name == "*" else name
                module.__dict__.pop(attr, None)
                with pytest.raises(MissingPluginError, match=rf"{dist}.*pip install.*geode\[{extra}\]"):
                    getattr(module, attr)
    finally:
        from geode_core import plugins

        # the switch goes first: a registry reset while it is set would keep `dist` disabled
        # for every later test
        monkeypatch.delenv("GEODE_DISABLE_PLUGINS", raising=False)
        plugins.reset_registry()


def test_geode_plugins_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "geode", "plugins", "--json"],
                         capture_output=True, text=True)
    assert '"geode-core"' in out.stdout
    get_registry()


def test_nn_subnamespaces_models_pool_norm():
    import geode
    from geode_core.nn import GCN, GraphNorm, TopKPooling

    assert geode.nn.models.GCN is GCN and geode.nn.GCN is GCN
    assert geode.nn.pool.TopKPooling is TopKPooling
    assert geode.nn.norm.GraphNorm is GraphNorm
    assert {"models", "pool", "norm"} <= set(dir(geode.nn))
