"""Discovers plugins through the ``geode`` entry-point group and guards against bad ones.

Environment switches:

* ``GEODE_PLUGIN_AUTOLOAD=0`` loads no entry points (geode-core's built-ins only);
* ``GEODE_DISABLE_PLUGINS=a,b`` skips the named distributions (or entry points);
* ``GEODE_PREFER=kind:name=dist;...`` picks a provider for names claimed twice.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pluggy
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from . import hookspecs
from .errors import PluginWarning
from .registry import normalise

CORE_DISTRIBUTION = "geode-core"
ENTRY_POINT_GROUP = "geode"


@dataclass
class PluginRecord:
    """What ``geode plugins`` reports for one distribution."""

    distribution: str
    version: str
    status: str  # "loaded", "failed", "incompatible" or "disabled"
    reason: str = ""


def _core_version() -> str:
    from geode_core import __version__

    return __version__


def _env_list(name: str) -> set[str]:
    return {part.strip() for part in os.environ.get(name, "").split(",") if part.strip()}


def incompatibility(dist: metadata.Distribution, core_version: str) -> str | None:
    """Why ``dist``'s declared geode-core range excludes ``core_version``, or None."""
    for line in dist.requires or ():
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) != CORE_DISTRIBUTION:
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if not req.specifier.contains(core_version, prereleases=True):
            return f"it requires geode-core{req.specifier} but geode-core {core_version} is installed"
    return None


class PluginManager:
    """Owns the pluggy manager, the list of plugins and what happened to each."""

    def __init__(self, autoload: bool | None = None, disabled: set[str] | None = None):
        if autoload is None:
            autoload = os.environ.get("GEODE_PLUGIN_AUTOLOAD", "1").strip().lower() not in (
                "0", "false", "no", "off",
            )
        self.autoload = autoload
        self.disabled = {canonicalize_name(d) for d in (disabled or _env_list("GEODE_DISABLE_PLUGINS"))}
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        self._providers: dict[str, str] = {}  # pluggy plugin name -> distribution
        self._discovered = False
        self._on_register = None

    # -- discovery ------------------------------------------------------------------
    def _discover(self) -> None:
        if self._discovered:
            return
        self._discovered = True
        from . import builtin

        self.register(builtin, CORE_DISTRIBUTION, version=_core_version())
        if self.autoload:
            for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
                self._load_entry_point(ep)

    def _load_entry_point(self, ep: metadata.EntryPoint) -> None:
        dist = ep.dist
        name = dist.metadata["Name"] if dist is not None else ep.name
        version = dist.version if dist is not None else "unknown"
        if canonicalize_name(name) == CORE_DISTRIBUTION:
            return
        if canonicalize_name(name) in self.disabled or canonicalize_name(ep.name) in self.disabled:
            self.records.setdefault(name, PluginRecord(name, version, "disabled", "GEODE_DISABLE_PLUGINS"))
            return
        reason = incompatibility(dist, _core_version()) if dist is not None else None
        if reason:
            self._skip(name, version, "incompatible", reason)
            return
        try:
            plugin = ep.load()
        except Exception as exc:  # any import-time failure skips only this plugin
            self._skip(name, version, "failed", f"importing {ep.value} raised {type(exc).__name__}: {exc}")
            return
        self.register(plugin, name, version=version, plugin_name=f"{name}:{ep.name}")

    def _skip(self, name: str, version: str, status: str, reason: str) -> None:
        self.records[name] = PluginRecord(name, version, status, reason)
        warnings.warn(f"Geode plugin {name!r} skipped: {reason}", PluginWarning, stacklevel=5)

    # -- registration ---------------------------------------------------------------
    def register(self, plugin: Any, distribution: str, version: str = "unknown",
                 plugin_name: str | None = None) -> None:
        """Register a plugin object for ``distribution`` (also usable without installing)."""
        self._discover()
        plugin_name = plugin_name or distribution
        self.pm.register(plugin, name=plugin_name)
        self._providers[plugin_name] = distribution
        self.records.setdefault(distribution, PluginRecord(distribution, version, "loaded"))
        if self._on_register is not None:
            self._on_register(plugin, distribution)

    def plugins(self) -> list[tuple[Any, str]]:
        """``(plugin, distribution)`` pairs, geode-core first."""
        self._discover()
        pairs = [(p, self._providers[self.pm.get_name(p)]) for p in self.pm.get_plugins()]
        return sorted(pairs, key=lambda pair: pair[1] != CORE_DISTRIBUTION)

    def record_failure(self, distribution: str, reason: str) -> None:
        record = self.records.get(distribution)
        if record is not None:
            record.status, record.reason = "failed", reason

    def preference(self, kind: str, key: str) -> str | None:
        """The provider chosen for ``(kind, key)`` through ``GEODE_PREFER``."""
        for item in os.environ.get("GEODE_PREFER", "").split(";"):
            lhs, sep, dist = item.partition("=")
            pkind, _, pname = lhs.strip().partition(":")
            if sep and pkind == kind and normalise(kind, pname.strip()) == key:
                return dist.strip()
        return None
