"""The meta-package's registration: it contributes the namespace modules themselves.

Registering through the entry point makes ``geode plugins`` list the meta-package with its
version beside the distributions it composes.
"""

from __future__ import annotations

from geode_core.plugins import hookimpl

from . import NAMESPACES


@hookimpl
def geode_register_exports(registry):
    for namespace in NAMESPACES:
        registry.add(f"namespaces.{namespace}", f"geode.{namespace}")
