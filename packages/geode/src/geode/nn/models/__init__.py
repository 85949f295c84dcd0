"""geode.nn.models: ready-made models from the installed Geode distributions."""

import geode._namespace as _namespace

_namespace.install(__name__)
