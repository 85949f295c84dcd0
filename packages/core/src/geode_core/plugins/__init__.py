"""The plugin system: hookspecs, the lazily filled registry and its manager.

``get_registry()`` is the process-wide registry; nothing is discovered until it is first
used. Tests and third parties can register plugin objects without installing them through
``register_plugin``.
"""

from __future__ import annotations

from typing import Any

from .errors import DuplicateNameError, MissingPluginError, PluginWarning, RegistryLookupError
from .hookspecs import hookimpl, hookspec
from .manager import PluginManager
from .registry import KINDS, Entry, Registrar, Registry

_registry: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry (created, not yet filled, on first call)."""
    global _registry
    if _registry is None:
        manager = PluginManager()
        _registry = Registry(manager)
        manager._on_register = _registry.plugin_added
    return _registry


def reset_registry(**manager_kwargs: Any) -> Registry:
    """Forget every plugin and start over (``autoload``/``disabled`` as for the manager)."""
    global _registry
    manager = PluginManager(**manager_kwargs)
    _registry = Registry(manager)
    manager._on_register = _registry.plugin_added
    return _registry


def register_plugin(plugin: Any, distribution: str, version: str = "unknown") -> None:
    """Register a plugin object as if ``distribution`` had installed it."""
    get_registry().manager.register(plugin, distribution, version=version)


def prefer(kind: str, name: str, distribution: str) -> None:
    """Pick ``distribution``'s entry for a name that several distributions register."""
    get_registry().prefer(kind, name, distribution)


__all__ = [
    "KINDS", "DuplicateNameError", "Entry", "MissingPluginError", "PluginManager",
    "PluginWarning", "Registrar", "Registry", "RegistryLookupError", "get_registry",
    "hookimpl", "hookspec", "prefer", "register_plugin", "reset_registry",
]
