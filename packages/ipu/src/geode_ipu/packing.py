"""Stream packing: whole graphs packed greedily, in sampler order, into the batch budgets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import torch.utils.data

from .options import FixedSizeOptions
from .sizes import GraphSize


class StreamPackBatchSampler(torch.utils.data.Sampler):
    """Yield lists of dataset indices whose graphs fit the budgets beside the padding graph.

    Graphs come in the order of ``sampler``; each joins the open pack if it fits and
    otherwise closes it and opens the next (next-fit, one pass, no look-ahead). A graph too
    big for an empty pack raises (``over_size_strategy="error"``), is dropped (``"skip"``) or
    gets a pack of its own, to be trimmed by the collater (the ``trim_*`` strategies).
    """

    def __init__(self, sizes: Sequence[GraphSize], sampler: Iterable[int],
                 options: FixedSizeOptions, over_size_strategy: str = "error"):
        self.sizes = sizes
        self.sampler = sampler
        self.options = options
        self.over_size_strategy = over_size_strategy

    def __iter__(self) -> Iterator[list[int]]:
        pack: list[int] = []
        total = GraphSize()
        for idx in self.sampler:
            size = self.sizes[idx]
            if not self.options.fits(size, 1):
                if self.over_size_strategy == "error":
                    raise ValueError(
                        f"stream packing: graph {idx} ({size.nodes.get(None, 0)} nodes, "
                        f"{size.edges.get(None, 0)} edges) does not fit an empty batch "
                        f"(num_nodes={self.options.node_budget()} including one padding node, "
                        f"num_edges={self.options.edge_budget()}); raise the budgets or pick "
                        f"an over_size_strategy")
                if self.over_size_strategy != "skip":
                    yield [idx]
                continue
            if pack and self.options.fits(total + size, len(pack) + 1):
                pack.append(idx)
                total = total + size
                continue
            if pack:
                yield pack
            pack, total = [idx], size
        if pack:
            yield pack
