"""``ImbalancedSampler``: draw examples with probability inversely proportional to their class size."""

from __future__ import annotations

import torch
from torch import Tensor
from torch.utils.data import WeightedRandomSampler

from geode_core.data import Data

__all__ = ["ImbalancedSampler"]


def _labels(dataset, input_nodes: Tensor | None) -> Tensor:
    if isinstance(dataset, Tensor):
        y = dataset
    elif isinstance(dataset, Data):
        y = dataset.y
        if y is None:
            raise ValueError("ImbalancedSampler: data has no y to balance")
        if input_nodes is not None:
            y = y[input_nodes.nonzero().view(-1) if input_nodes.dtype == torch.bool else input_nodes]
    else:  # a sequence of graphs, one label each
        ys = [d.y for d in dataset]
        if any(y is None for y in ys):
            raise ValueError("ImbalancedSampler: every graph of the dataset needs a y")
        y = torch.cat([torch.as_tensor(v).view(-1) for v in ys])
    y = y.view(-1)
    if y.is_floating_point():
        raise ValueError(f"ImbalancedSampler needs integer class labels, got {y.dtype}")
    return y.long()


class ImbalancedSampler(WeightedRandomSampler):
    """Index sampler that balances classes: example ``i`` is drawn (with replacement) with
    weight ``1 / count(y_i)``.

    ``dataset`` is a ``Data`` (node labels ``y``, restricted to ``input_nodes`` when given;
    then pass it as ``sampler=`` to a ``NeighborLoader`` with the same ``input_nodes``), a
    dataset or list of graphs (one label per graph; for ``DataLoader``) or a label tensor.
    ``num_samples`` defaults to the number of examples.
    """

    def __init__(self, dataset, input_nodes: Tensor | None = None, num_samples: int | None = None):
        y = _labels(dataset, input_nodes)
        if y.numel() and int(y.min()) < 0:
            raise ValueError(f"ImbalancedSampler needs class labels >= 0, got minimum {int(y.min())}")
        counts = torch.bincount(y)
        weight = 1.0 / counts[y].double()
        super().__init__(weight, num_samples if num_samples is not None else y.numel(), replacement=True)
