"""Errors and warnings raised by the plugin registry."""

from __future__ import annotations


class PluginWarning(UserWarning):
    """A plugin was skipped (failed import, failing hook, incompatible geode-core range)."""


class RegistryLookupError(LookupError):
    """A name was asked for that no installed distribution registers."""


class DuplicateNameError(LookupError):
    """Two distributions register the same name and none was chosen explicitly."""


class MissingPluginError(ImportError):
    """A public name belongs to a Geode distribution that is not installed."""
