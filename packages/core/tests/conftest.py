import pytest


@pytest.fixture
def fresh_registry(monkeypatch):
    """A registry that loads only geode-core's built-ins and what the test registers."""
    from geode_core import plugins

    for var in ("GEODE_PLUGIN_AUTOLOAD", "GEODE_DISABLE_PLUGINS", "GEODE_PREFER"):
        monkeypatch.delenv(var, raising=False)
    registry = plugins.reset_registry(autoload=False)
    yield registry
    plugins.reset_registry()
