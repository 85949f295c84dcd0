"""Modules whose attributes resolve through the plugin registry."""

from __future__ import annotations

import importlib
import sys
import types
from importlib import metadata

from ._catalogue import provider_of


def _registry():
    from geode_core.plugins import get_registry

    return get_registry()


def _installed(distribution: str) -> bool:
    try:
        metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


class Namespace(types.ModuleType):
    """A ``geode.<namespace>`` module: names come from the registry's exports."""

    _subnamespaces: tuple[str, ...] = ()

    @property
    def _geode_namespace(self) -> str:
        return self.__name__.removeprefix("geode.")

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._subnamespaces:
            return importlib.import_module(f"{self.__name__}.{name}")
        namespace = self._geode_namespace
        exports = _registry().exports(namespace)
        if name in exports:
            value = _registry().export(namespace, name)
            setattr(self, name, value)
            return value
        raise _missing(namespace, name, sorted(exports))

    def __dir__(self):
        return sorted({*self._subnamespaces, *_registry().exports(self._geode_namespace)})

    def __call__(self, *args, **kwargs):
        """``geode.compile(model)``: call the export named like the namespace itself."""
        leaf = self._geode_namespace.rsplit(".", 1)[-1]
        return getattr(self, leaf)(*args, **kwargs)


def _missing(namespace: str, name: str, available: list[str]) -> ImportError:
    from geode_core.plugins import MissingPluginError

    provider = provider_of(namespace, name)
    if provider is not None:
        dist, extra = provider
        if not _installed(dist):
            return MissingPluginError(
                f"geode.{namespace}.{name} is provided by the {dist} distribution, which is not "
                f"installed: pip install {dist} (or pip install 'geode[{extra}]')"
            )
        record = _registry().manager.records.get(dist)
        if record is None or record.status != "loaded":
            why = f" ({record.status}: {record.reason})" if record is not None else ""
            return MissingPluginError(
                f"geode.{namespace}.{name} is provided by {dist}, which is installed but did not "
                f"load{why}; run `geode plugins` for details"
            )
    shown = ", ".join(available) or "no names"
    return MissingPluginError(f"geode.{namespace} has no name {name!r}; it offers: {shown}")


def install(module_name: str, subnamespaces: tuple[str, ...] = ()) -> None:
    """Turn the already-imported module ``module_name`` into a registry-backed namespace."""
    module = sys.modules[module_name]
    module.__class__ = type("Namespace", (Namespace,), {"_subnamespaces": subnamespaces})
