"""The whole plugin contract: every hook a Geode plugin may implement.

A plugin is a module (or object) exposed through the ``geode`` entry-point group, e.g.::

    [project.entry-points.geode]
    my_plugin = "my_package.plugin"

and implements any of the hooks below, decorated with :data:`hookimpl`. Each hook
receives a :class:`~geode_core.plugins.registry.Registrar` bound to the plugin's
distribution; call its ``add(...)`` to contribute. Hooks run lazily: the hook of a kind
runs the first time that kind is looked up, never at ``import geode``.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "geode"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def geode_register_aggregations(registry):
    """Add aggregation modules by name.

    ``registry.add("softmax", SoftmaxAggregation)``: the object is an
    :class:`geode_core.nn.aggr.Aggregation` subclass (or a factory returning one).
    Names are matched case- and separator-insensitively (``"power_mean"`` is
    ``"PowerMean"``). Resolved by ``aggr="..."`` in every MessagePassing layer.
    """


@hookspec
def geode_register_kernels(registry):
    """Add kernels implementing ``geode`` ops.

    ``registry.add(name, fn, op="spmm", device="cpu", dtypes=(torch.float32,),
    compile_safe=True, priority=10)``. ``device`` is a torch device type (or ``"any"``);
    ``dtypes`` is ``None`` for every dtype; higher priority wins; ``compile_safe`` kernels
    are the only candidates while ``torch.compile`` traces.
    """


@hookspec
def geode_register_samplers(registry):
    """Add samplers and mini-batch loaders by name (``registry.add("neighbor", cls)``)."""


@hookspec
def geode_register_stores(registry):
    """Add feature/graph store backends by name (``registry.add("rocksdb", cls)``)."""


@hookspec
def geode_register_compile_backends(registry):
    """Add compile backends by name (``registry.add("inductor-static", fn)``)."""


@hookspec
def geode_register_explainers(registry):
    """Add explanation algorithms by name (``registry.add("gnnexplainer", cls)``)."""


@hookspec
def geode_register_exports(registry):
    """Add public names to the composed ``geode`` namespace.

    ``registry.add("nn.GCNConv", "geode_core.nn.conv.gcn_conv:GCNConv")``: the name is
    ``"<namespace>.<attribute>"`` and the object either the value itself or a lazy
    ``"module:attribute"`` string imported on first access.
    """
