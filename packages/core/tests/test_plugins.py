"""The plugin protocol: discovery, failure isolation, duplicates, switches, laziness."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from geode_core import plugins
from geode_core.plugins import (
    DuplicateNameError,
    PluginWarning,
    RegistryLookupError,
    hookimpl,
)


def make_distribution(root, name, module_source, requires=("geode-core>=0.1,<0.2",)):
    """Write an installed-looking distribution (dist-info + module) under ``root``."""
    module = name.replace("-", "_")
    (root / f"{module}.py").write_text(textwrap.dedent(module_source))
    info = root / f"{module}-1.0.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")
    (info / "entry_points.txt").write_text(f"[geode]\n{module} = {module}\n")
    return module


GOOD = """
from geode_core.plugins import hookimpl
from geode_core.nn.aggr import SumAggregation

@hookimpl
def geode_register_aggregations(registry):
    registry.add("{name}", SumAggregation)
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    for var in ("GEODE_PLUGIN_AUTOLOAD", "GEODE_DISABLE_PLUGINS", "GEODE_PREFER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    plugins.reset_registry()


def entry_point_registry(**kwargs):
    """A registry over the fake site only (installed first-party plugins disabled)."""
    from importlib import metadata

    real = {ep.dist.metadata["Name"] for ep in metadata.entry_points(group="geode") if ep.dist}
    fake = set(kwargs.pop("keep", ()))
    return plugins.reset_registry(disabled=(real - fake) | set(kwargs.pop("disabled", ())), **kwargs)


def test_core_builtins_register_through_hooks(fresh_registry):
    assert {"sum", "mean", "min", "max", "mul"} <= set(fresh_registry.names("aggregation"))
    assert fresh_registry.get("aggregation", "sum").provider == "geode-core"


def test_names_ignore_case_separators_and_suffix(fresh_registry):
    sum_cls = fresh_registry.load("aggregation", "sum")
    assert fresh_registry.load("aggregation", "SUM") is sum_cls
    assert fresh_registry.load("aggregation", "Sum_Aggregation") is sum_cls


def test_unknown_name_lists_available(fresh_registry):
    with pytest.raises(RegistryLookupError, match=r"no aggregation named 'nope'.*mean.*sum"):
        fresh_registry.get("aggregation", "nope")


def test_entry_point_plugin_loads(site):
    make_distribution(site, "good-plugin", GOOD.format(name="good"))
    registry = entry_point_registry(keep={"good-plugin"})
    entry = registry.get("aggregation", "good")
    assert entry.provider == "good-plugin"


def test_broken_plugin_is_skipped_with_one_warning_and_rest_load(site):
    make_distribution(site, "good-plugin", GOOD.format(name="good"))
    make_distribution(site, "broken-plugin", "raise RuntimeError('boom at import')\n")
    registry = entry_point_registry(keep={"good-plugin", "broken-plugin"})
    with pytest.warns(PluginWarning, match=r"'broken-plugin' skipped.*boom at import") as caught:
        names = registry.names("aggregation")
    assert len([w for w in caught if "broken-plugin" in str(w.message)]) == 1
    assert "good" in names
    assert registry.manager.records["broken-plugin"].status == "failed"


def test_failing_hook_skips_only_that_plugin(site):
    make_distribution(site, "hook-fails", """
        from geode_core.plugins import hookimpl
        @hookimpl
        def geode_register_aggregations(registry):
            raise ValueError("bad hook")
    """)
    make_distribution(site, "good-plugin", GOOD.format(name="good"))
    registry = entry_point_registry(keep={"good-plugin", "hook-fails"})
    with pytest.warns(PluginWarning, match="hook-fails.*bad hook"):
        assert "good" in registry.names("aggregation")


def test_incompatible_core_range_is_skipped(site):
    make_distribution(site, "future-plugin", GOOD.format(name="future"),
                      requires=("geode-core>=9.0",))
    registry = entry_point_registry(keep={"future-plugin"})
    with pytest.warns(PluginWarning, match=r"'future-plugin' skipped: it requires geode-core>=9.0"):
        names = registry.names("aggregation")
    assert "future" not in names
    assert registry.manager.records["future-plugin"].status == "incompatible"


def test_duplicate_name_names_both_and_can_be_chosen(site):
    make_distribution(site, "first-plugin", GOOD.format(name="twin"))
    make_distribution(site, "second-plugin", GOOD.format(name="twin"))
    registry = entry_point_registry(keep={"first-plugin", "second-plugin"})
    with pytest.raises(DuplicateNameError, match=r"'first-plugin' and 'second-plugin'|'second-plugin' and 'first-plugin'"):
        registry.get("aggregation", "twin")
    assert registry.get("aggregation", "twin", provider="second-plugin").provider == "second-plugin"
    plugins.prefer("aggregation", "twin", "first-plugin")
    assert registry.get("aggregation", "twin").provider == "first-plugin"


def test_prefer_from_environment(site, monkeypatch):
    make_distribution(site, "first-plugin", GOOD.format(name="twin"))
    make_distribution(site, "second-plugin", GOOD.format(name="twin"))
    monkeypatch.setenv("GEODE_PREFER", "aggregation:Twin=second-plugin")
    registry = entry_point_registry(keep={"first-plugin", "second-plugin"})
    assert registry.get("aggregation", "twin").provider == "second-plugin"


def test_autoload_switch(site, monkeypatch):
    make_distribution(site, "good-plugin", GOOD.format(name="good"))
    monkeypatch.setenv("GEODE_PLUGIN_AUTOLOAD", "0")
    registry = plugins.reset_registry()
    assert "good" not in registry.names("aggregation")
    assert "sum" in registry.names("aggregation")


def test_disable_switch(site, monkeypatch):
    make_distribution(site, "good-plugin", GOOD.format(name="good"))
    make_distribution(site, "other-plugin", GOOD.format(name="other"))
    monkeypatch.setenv("GEODE_DISABLE_PLUGINS", "good-plugin")
    registry = plugins.reset_registry()
    names = registry.names("aggregation")
    assert "good" not in names and "other" in names
    assert registry.manager.records["good-plugin"].status == "disabled"


def test_register_plugin_object_without_installing(fresh_registry):
    class Local:
        @hookimpl
        def geode_register_aggregations(self, registry):
            from geode_core.nn.aggr import MaxAggregation

            registry.add("local-max", MaxAggregation)

    fresh_registry.names("aggregation")  # kind already loaded: the new plugin still joins
    plugins.register_plugin(Local(), "local-plugin")
    assert fresh_registry.get("aggregation", "local_max").provider == "local-plugin"


def test_kernel_metadata_defaults_and_validation(fresh_registry):
    class Kernels:
        @hookimpl
        def geode_register_kernels(self, registry):
            registry.add("mine", lambda x: x, op="demo_op", device="cpu", priority=5)

    plugins.register_plugin(Kernels(), "kernel-plugin")
    (entry,) = fresh_registry.kernels("demo_op")
    assert entry.meta["compile_safe"] is False and entry.meta["dtypes"] is None

    registrar = plugins.Registrar("kernel", "x")
    with pytest.raises(TypeError, match="needs op="):
        registrar.add("no-op", lambda x: x)


def test_plugins_load_lazily(site):
    """Discovery waits for the first registry use, and each kind's hook for that kind."""
    make_distribution(site, "lazy-plugin", """
        import os
        from geode_core.plugins import hookimpl
        os.environ["LAZY_PLUGIN_IMPORTED"] = "1"
        @hookimpl
        def geode_register_samplers(registry):
            os.environ["LAZY_PLUGIN_SAMPLERS"] = "1"
            registry.add("lazy", object)
    """)
    import os

    registry = entry_point_registry(keep={"lazy-plugin"})
    assert "LAZY_PLUGIN_IMPORTED" not in os.environ
    registry.names("aggregation")
    assert os.environ.pop("LAZY_PLUGIN_IMPORTED") == "1"
    assert "LAZY_PLUGIN_SAMPLERS" not in os.environ
    assert registry.names("sampler") == ["lazy"]
    assert os.environ.pop("LAZY_PLUGIN_SAMPLERS") == "1"


def test_cli_json_and_exit_code(site):
    make_distribution(site, "broken-plugin", "raise ImportError('missing dep')\n")
    env_path = str(site)
    script = (
        f"import sys; sys.path.insert(0, {env_path!r}); from geode_core.cli import main; "
        "sys.exit(main(['plugins', '--json']))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    report = json.loads(result.stdout)
    by_name = {d["distribution"]: d for d in report["distributions"]}
    assert by_name["geode-core"]["status"] == "loaded"
    assert "sum" in by_name["geode-core"]["registers"]["aggregation"]
    assert by_name["broken-plugin"]["status"] == "failed"
    assert result.returncode == 1
    assert "broken-plugin is broken" in result.stderr
