"""Graph ops as torch.library custom ops in the ``geode`` namespace, and kernel choice."""

from . import csr_spmm as csr_spmm
from . import hugepages as hugepages
from . import scatter_ops as scatter_ops
from . import segment_ops as segment_ops
from .adjacency import Adjacency
from .dispatch import NoKernelError, choose, use_kernel
from .functional import (
    edge_softmax,
    gather_scatter,
    scatter_reduce,
    scatter_sum,
    segment,
    segment_softmax,
    spmm,
)
from .matmul import grouped_mm, segment_mm

__all__ = [
    "Adjacency", "NoKernelError", "choose", "edge_softmax", "gather_scatter", "scatter_reduce",
    "scatter_sum", "segment", "segment_softmax", "spmm", "use_kernel", "segment_mm", "grouped_mm",
]
