"""The registry: typed kinds of named things that plugins contribute.

Every kind is filled by one hook of :mod:`geode_core.plugins.hookspecs`, run lazily the
first time the kind is used. Lookups normalise names per kind and fail with messages that
say what was asked for and what exists.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import DuplicateNameError, PluginWarning, RegistryLookupError

#: kind -> the hook that fills it.
KINDS: dict[str, str] = {
    "aggregation": "geode_register_aggregations",
    "kernel": "geode_register_kernels",
    "sampler": "geode_register_samplers",
    "store": "geode_register_stores",
    "compile_backend": "geode_register_compile_backends",
    "explainer": "geode_register_explainers",
    "export": "geode_register_exports",
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(kind: str, name: str) -> str:
    """The lookup key of ``name`` within ``kind``.

    Exports are exact (``"nn.GCNConv"``); kernels are keyed ``"op/name"``; every other kind
    ignores case and separators, and aggregations also drop an ``Aggregation`` suffix, so
    ``"power_mean"``, ``"PowerMean"`` and ``"PowerMeanAggregation"`` are one name.
    """
    if kind in ("export", "kernel"):
        return name
    key = _SEPARATORS.sub("", name).lower()
    if kind == "aggregation" and key.endswith("aggregation") and key != "aggregation":
        key = key[: -len("aggregation")]
    return key


@dataclass(frozen=True)
class Entry:
    """One registered thing: its kind, name, object, providing distribution and metadata."""

    kind: str
    name: str
    obj: Any
    provider: str
    meta: dict = field(default_factory=dict)

    def load(self) -> Any:
        """The object, importing it first when it was registered as ``"module:attr"``."""
        if isinstance(self.obj, str) and ":" in self.obj:
            module, _, attr = self.obj.partition(":")
            value = importlib.import_module(module)
            for part in attr.split("."):
                value = getattr(value, part)
            return value
        return self.obj


class Registrar:
    """What a hook receives: ``add(...)`` entries of one kind on behalf of one distribution."""

    def __init__(self, kind: str, provider: str):
        self.kind = kind
        self.provider = provider
        self.added: list[Entry] = []

    def add(self, name: str, obj: Any, **meta: Any) -> None:
        """Register ``obj`` under ``name``; ``meta`` carries kind-specific fields.

        Kernels need ``op`` (and may give ``device``, ``dtypes``, ``compile_safe``,
        ``priority``); other kinds take no required metadata.
        """
        if not isinstance(name, str) or not name:
            raise TypeError(f"registry.add: name must be a non-empty str, got {name!r}")
        if self.kind == "kernel":
            if "op" not in meta:
                raise TypeError(f"registry.add: kernel {name!r} needs op=<geode op name>")
            meta.setdefault("device", "any")
            meta.setdefault("dtypes", None)
            meta.setdefault("compile_safe", False)
            meta.setdefault("priority", 0)
            meta.setdefault("description", "")
        self.added.append(Entry(self.kind, name, obj, self.provider, meta))


class Registry:
    """All registered entries, filled kind by kind from the plugin manager's hooks."""

    def __init__(self, manager):
        self.manager = manager
        self._entries: dict[str, dict[str, list[Entry]]] = {kind: {} for kind in KINDS}
        self._loaded: set[str] = set()
        self._preferred: dict[tuple[str, str], str] = {}

    # -- filling --------------------------------------------------------------------
    def _ensure(self, kind: str) -> None:
        if kind not in KINDS:
            raise RegistryLookupError(f"unknown registry kind {kind!r}; kinds: {', '.join(KINDS)}")
        if kind in self._loaded:
            return
        plugins = self.manager.plugins()  # discovery first: it must not run this kind's hooks
        self._loaded.add(kind)
        for plugin, provider in plugins:
            self._run_hook(kind, plugin, provider)

    def _run_hook(self, kind: str, plugin: Any, provider: str) -> None:
        hook = getattr(plugin, KINDS[kind], None)
        if hook is None:
            return
        registrar = Registrar(kind, provider)
        try:
            hook(registry=registrar)
        except Exception as exc:  # a broken plugin must not take the others down
            self.manager.record_failure(provider, f"its {KINDS[kind]} hook raised {exc!r}")
            warnings.warn(
                f"Geode plugin {provider!r} skipped for {kind}s: its {KINDS[kind]} hook "
                f"raised {type(exc).__name__}: {exc}",
                PluginWarning,
                stacklevel=4,
            )
            return
        for entry in registrar.added:
            key = f"{entry.meta['op']}/{entry.name}" if kind == "kernel" else entry.name
            bucket = self._entries[kind].setdefault(normalise(kind, key), [])
            bucket.append(entry)

    def plugin_added(self, plugin: Any, provider: str) -> None:
        """Run the hooks of a newly registered plugin for the kinds already loaded."""
        for kind in list(self._loaded):
            self._run_hook(kind, plugin, provider)

    # -- choosing between providers -------------------------------------------------
    def prefer(self, kind: str, name: str, provider: str) -> None:
        """Resolve a name claimed by several distributions in favour of ``provider``."""
        self._preferred[(kind, normalise(kind, name))] = provider

    # -- lookups --------------------------------------------------------------------
    def get(self, kind: str, name: str, provider: str | None = None) -> Entry:
        """The entry ``name`` of ``kind``; raises naming the alternatives or the rivals."""
        self._ensure(kind)
        key = normalise(kind, name)
        candidates = self._entries[kind].get(key, [])
        if not candidates:
            available = ", ".join(self.names(kind)) or "none"
            raise RegistryLookupError(
                f"no {kind} named {name!r} is registered; available: {available}"
            )
        chosen = provider or self._preferred.get((kind, key)) or self.manager.preference(kind, key)
        if chosen is not None:
            for entry in candidates:
                if entry.provider == chosen:
                    return entry
            raise RegistryLookupError(
                f"{kind} {name!r} was asked for from {chosen!r}, but it is registered by "
                f"{', '.join(e.provider for e in candidates)}"
            )
        if len(candidates) > 1:
            providers = " and ".join(repr(e.provider) for e in candidates)
            raise DuplicateNameError(
                f"{kind} {name!r} is registered by both {providers}; choose one with "
                f"geode_core.plugins.prefer({kind!r}, {name!r}, <distribution>) or "
                f"GEODE_PREFER='{kind}:{name}=<distribution>'"
            )
        return candidates[0]

    def load(self, kind: str, name: str, provider: str | None = None) -> Any:
        """The registered object itself (lazy ``"module:attr"`` strings are imported)."""
        return self.get(kind, name, provider).load()

    def entries(self, kind: str) -> list[Entry]:
        """Every entry of ``kind``, duplicates included, in registration order."""
        self._ensure(kind)
        return [entry for bucket in self._entries[kind].values() for entry in bucket]

    def names(self, kind: str) -> list[str]:
        """The registered names of ``kind``, sorted."""
        return sorted({entry.name for entry in self.entries(kind)})

    def kernels(self, op: str) -> list[Entry]:
        """Every kernel registered for ``op``, highest priority first."""
        found = [e for e in self.entries("kernel") if e.meta["op"] == op]
        return sorted(found, key=lambda e: -e.meta["priority"])

    def exports(self, namespace: str) -> dict[str, list[Entry]]:
        """Public names of ``namespace`` (e.g. ``"nn.aggr"``) with the entries providing them.

        A ``"<namespace>.*"`` export stands for every name in the ``__all__`` of the module it
        names; the module is imported here, on first use of its namespace.
        """
        found: dict[str, list[Entry]] = {}
        prefix = namespace + "."
        for entry in self.entries("export"):
            if not entry.name.startswith(prefix):
                continue
            attr = entry.name[len(prefix):]
            if attr == "*":
                module = importlib.import_module(entry.obj)
                for public in getattr(module, "__all__", ()):
                    lazy = Entry("export", prefix + public, f"{entry.obj}:{public}", entry.provider)
                    found.setdefault(public, []).append(lazy)
            elif "." not in attr:
                found.setdefault(attr, []).append(entry)
        return found

    def export(self, namespace: str, attr: str) -> Any:
        """The object exported as ``namespace.attr``; duplicates follow :meth:`prefer`."""
        candidates = self.exports(namespace).get(attr)
        if not candidates:
            raise RegistryLookupError(f"no export named {namespace}.{attr}")
        providers = {e.provider for e in candidates}
        if len(providers) > 1:
            key = normalise("export", f"{namespace}.{attr}")
            chosen = self._preferred.get(("export", key)) or self.manager.preference("export", key)
            if chosen is None:
                raise DuplicateNameError(
                    f"export {namespace}.{attr} is registered by both "
                    + " and ".join(repr(p) for p in sorted(providers))
                    + f"; choose one with geode_core.plugins.prefer('export', '{namespace}.{attr}', <distribution>)"
                )
            candidates = [e for e in candidates if e.provider == chosen] or candidates
        return candidates[0].load()

    def conflicts(self, kinds: Iterable[str] = KINDS) -> list[tuple[str, str, list[str]]]:
        """``(kind, name, providers)`` for every name claimed by several distributions."""
        found = []
        for kind in kinds:
            self._ensure(kind)
            if kind == "export":
                found.extend(self._export_conflicts())
                continue
            for key, bucket in self._entries[kind].items():
                providers = sorted({e.provider for e in bucket})
                chosen = self._preferred.get((kind, key)) or self.manager.preference(kind, key)
                if len(providers) > 1 and chosen is None:
                    found.append((kind, bucket[0].name, providers))
        return found

    def _export_conflicts(self) -> list[tuple[str, str, list[str]]]:
        namespaces = {e.name.rpartition(".")[0] for e in self.entries("export")}
        found = []
        for namespace in sorted(namespaces):
            for attr, candidates in self.exports(namespace).items():
                providers = sorted({e.provider for e in candidates})
                key = f"{namespace}.{attr}"
                chosen = self._preferred.get(("export", key)) or self.manager.preference("export", key)
                if len(providers) > 1 and chosen is None:
                    found.append(("export", key, providers))
        return found
