"""The sampler contract: what a loader hands a sampler and what it gets back.

A sampler is any object with ``sample_from_nodes(NodeSamplerInput)`` (and, for link
loaders, ``sample_from_edges(EdgeSamplerInput, neg_sampling)``) returning a
:class:`~geode_sampler.SamplerOutput` (homogeneous) or
:class:`~geode_sampler.HeteroSamplerOutput`. Register a sampler class under a name with the
``geode_register_samplers`` hook; ``NeighborLoader(..., sampler="name")`` then builds it as
``cls(data, num_neighbors=..., **sampler_options)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

__all__ = ["BaseSampler", "EdgeSamplerInput", "NegativeSampling", "NodeSamplerInput"]

EdgeType = tuple[str, str, str]


@dataclass
class NodeSamplerInput:
    """Seeds of one mini-batch: ``input_id`` (positions in the loader's input), ``node``
    (global ids), ``time`` (one per seed, temporal sampling) and ``input_type`` (hetero)."""

    input_id: Tensor
    node: Tensor
    time: Tensor | None = None
    input_type: str | None = None


@dataclass
class EdgeSamplerInput:
    """Label edges of one mini-batch: ``row -> col`` with optional ``label`` and ``time``;
    ``input_type`` is the edge type (hetero)."""

    input_id: Tensor
    row: Tensor
    col: Tensor
    label: Tensor | None = None
    time: Tensor | None = None
    input_type: EdgeType | None = None


NEG_MODES = ("binary", "triplet")


@dataclass
class NegativeSampling:
    """How a link loader adds negatives.

    ``mode="binary"``: ``ceil(amount * num_pos)`` random ``(src, dst)`` pairs labelled 0
    (positive labels shift up by one). ``mode="triplet"``: ``amount`` (an int) random
    destinations per positive source. ``src_weight``/``dst_weight`` (one non-negative value
    per node) bias the draws; otherwise nodes are drawn uniformly. Negatives are random
    pairs: they can coincide with a positive edge, as in PyG.
    """

    mode: str
    amount: float = 1
    src_weight: Tensor | None = None
    dst_weight: Tensor | None = None

    def __post_init__(self):
        if self.mode not in NEG_MODES:
            raise ValueError(f"neg_sampling mode must be one of {NEG_MODES}, got {self.mode!r}")
        if not self.amount > 0:
            raise ValueError(f"neg_sampling amount must be > 0, got {self.amount}")
        if self.mode == "triplet" and self.amount != math.ceil(self.amount):
            raise ValueError(f"neg_sampling amount must be an integer for mode='triplet', got {self.amount}")

    def is_binary(self) -> bool:
        return self.mode == "binary"

    def is_triplet(self) -> bool:
        return self.mode == "triplet"

    def num_negatives(self, num_pos: int) -> int:
        return math.ceil(num_pos * self.amount)

    def sample(self, num: int, endpoint: str, num_nodes: int,
               generator: torch.Generator | None = None) -> Tensor:
        """``num`` random node ids for ``endpoint`` (``"src"`` or ``"dst"``)."""
        weight = self.src_weight if endpoint == "src" else self.dst_weight
        if weight is None:
            return torch.randint(0, num_nodes, (num,), generator=generator)
        if weight.numel() != num_nodes:
            raise ValueError(f"neg_sampling {endpoint}_weight must have one entry per node "
                             f"({num_nodes}), got {weight.numel()}")
        return torch.multinomial(weight.double(), num, replacement=True, generator=generator)

    @classmethod
    def cast(cls, value) -> NegativeSampling | None:
        """Accept None, a NegativeSampling, a mode string or a dict of arguments."""
        if value is None or isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, dict):
            return cls(**value)
        raise TypeError(f"neg_sampling must be None, a NegativeSampling, 'binary'/'triplet' or a dict, "
                        f"got {type(value).__name__}")


class BaseSampler:
    """Base class of samplers; subclasses override the methods they support."""

    def sample_from_nodes(self, inputs: NodeSamplerInput):
        raise TypeError(f"{type(self).__name__} cannot sample around nodes; it has no sample_from_nodes")

    def sample_from_edges(self, inputs: EdgeSamplerInput, neg_sampling: NegativeSampling | None = None):
        raise TypeError(f"{type(self).__name__} cannot sample around edges; it has no sample_from_edges")
