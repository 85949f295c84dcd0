"""The forward/backward partitioner ``compile`` gives Inductor: no bool masks saved on CPU.

Inductor's default min-cut partitioner saves the cheapest tensors from which the backward
can be rebuilt; for ``relu`` (and any ``x <= 0`` test the backward needs) that is a bool
mask computed in the forward. Inductor's CPU code stores such masks through its AVX-512
mask conversion, which measured ~20x slower than eager's comparison (10,000 x 64: 7-8 ms
vs 0.4 ms, torch 2.13, one thread), so a compiled GIN step (five ReLUs) ran 1.2-1.4x slower
than eager. For graphs whose inputs all live on the CPU this partitioner saves what the
forward computed instead (the float activations the backward tests itself); other graphs
are partitioned exactly as Inductor would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch._inductor.custom_graph_pass import CustomPartitionerFn

#: Inductor option naming the partitioner (``torch.compile(options=...)``)
OPTION = "custom_partitioner_fn"


def _all_cpu(joint_inputs: Sequence[object]) -> bool:
    devices = {value.device.type for value in joint_inputs if isinstance(value, torch.Tensor)}
    return devices <= {"cpu"}


class CpuMaskFreePartitioner(CustomPartitionerFn):
    """Saves the forward's own tensors on CPU graphs; Inductor's min-cut everywhere else."""

    def __call__(self, gm: torch.fx.GraphModule, joint_inputs: Sequence[object],
                 **kwargs: Any) -> tuple[torch.fx.GraphModule, torch.fx.GraphModule]:
        from torch._functorch import partitioners

        if _all_cpu(joint_inputs):
            kwargs.pop("compiler", None)  # the plain partitioner takes no compiler name
            return partitioners.default_partition(gm, joint_inputs, **kwargs)
        return partitioners.min_cut_rematerialization_partition(gm, joint_inputs, **kwargs)

    def uuid(self) -> Any:
        return f"{type(self).__qualname__}-1"


def with_partitioner(mode: str | None, options: dict | None) -> dict | None:
    """``torch.compile`` options with the partitioner added, when Inductor takes options.

    ``torch.compile`` refuses ``options`` next to a ``mode`` other than the default, and a
    partitioner the caller chose stays; in both cases ``options`` comes back unchanged.
    """
    if mode not in (None, "default") or (options and OPTION in options):
        return options
    return {**(options or {}), OPTION: CpuMaskFreePartitioner()}
