"""The ``geode`` command line: ``geode plugins [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
import warnings

from .plugins import KINDS, get_registry
from .plugins.errors import PluginWarning


def plugin_report() -> dict:
    """Distributions with version, status and what each registers, per kind."""
    registry = get_registry()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        registered: dict[str, dict[str, list[str]]] = {}
        for kind in KINDS:
            for entry in registry.entries(kind):
                name = f"{entry.meta['op']}/{entry.name}" if kind == "kernel" else entry.name
                registered.setdefault(entry.provider, {}).setdefault(kind, []).append(name)
        conflicts = registry.conflicts()
    distributions = []
    for record in sorted(registry.manager.records.values(), key=lambda r: r.distribution):
        distributions.append({
            "distribution": record.distribution,
            "version": record.version,
            "status": record.status,
            "reason": record.reason,
            "registers": {k: sorted(v) for k, v in registered.get(record.distribution, {}).items()},
        })
    return {
        "distributions": distributions,
        "conflicts": [{"kind": k, "name": n, "providers": p} for k, n, p in conflicts],
    }


def _print_text(report: dict) -> None:
    for dist in report["distributions"]:
        line = f"{dist['distribution']} {dist['version']} [{dist['status']}]"
        print(line + (f": {dist['reason']}" if dist["reason"] else ""))
        for kind, names in dist["registers"].items():
            print(f"    {kind}: {', '.join(names)}")
    for conflict in report["conflicts"]:
        print(f"CONFLICT {conflict['kind']} {conflict['name']!r}: {' and '.join(conflict['providers'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="geode", description="Geode command line")
    sub = parser.add_subparsers(dest="command", required=True)
    plugins = sub.add_parser("plugins", help="list installed Geode distributions and registrations")
    plugins.add_argument("--json", action="store_true", help="print machine-readable JSON")
    args = parser.parse_args(argv)

    report = plugin_report()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_text(report)
    broken = [d for d in report["distributions"] if d["status"] in ("failed", "incompatible")]
    for dist in broken:
        print(f"error: plugin {dist['distribution']} is broken: {dist['reason']}", file=sys.stderr)
    if report["conflicts"]:
        print("error: names registered by several distributions (see CONFLICT lines)", file=sys.stderr)
    return 1 if broken or report["conflicts"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
