"""geode.nn: layers, models, pooling and norms from the installed Geode distributions."""

import geode._namespace as _namespace

_namespace.install(__name__, subnamespaces=("aggr", "models", "pool", "norm"))
