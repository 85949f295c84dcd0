"""RandomLinkSplit: train/validation/test splits of the edges, for link prediction."""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Sequence

import torch
from torch import Tensor

from ..data import Data, HeteroData
from ..utils import negative_sampling
from .base import BaseTransform

EdgeType = tuple[str, str, str]


def _count(value: int | float, total: int, name: str) -> int:
    count = math.floor(value * total) if isinstance(value, float) else int(value)
    if count < 0:
        raise ValueError(f"RandomLinkSplit: {name} must be non-negative, got {value}")
    return count


class RandomLinkSplit(BaseTransform):
    """Split the edges into training, validation and test sets; returns three graphs.

    Each graph keeps its message-passing edges in ``edge_index`` (training: the training
    edges; validation: all training edges; test: training and validation edges) and its
    supervision edges in ``edge_label_index`` with ``edge_label`` (1 for an edge, 0 for a
    sampled non-edge). ``key`` renames ``edge_label``; ``split_labels`` stores positives and
    negatives apart (``pos_edge_label[_index]``, ``neg_edge_label[_index]``). Existing
    integer labels in ``data[key]`` are kept for the positives (plus one when negatives are
    added, so 0 means "no edge").

    Args follow PyG: ``num_val`` / ``num_test`` (ints, or fractions of the edges),
    ``is_undirected`` (split each pair ``i < j`` once and give message passing both
    directions), ``add_negative_train_samples``, ``neg_sampling_ratio`` (negatives per
    positive), ``disjoint_train_ratio`` (share or number of training edges used only for
    supervision, not message passing), and for :class:`HeteroData` ``edge_types`` to split
    with optional ``rev_edge_types`` whose edges follow their forward type's split.
    Negatives are drawn once per edge type from the pairs absent from the whole graph, so
    the three splits never share one.
    """

    def __init__(self, num_val: int | float = 0.1, num_test: int | float = 0.2,
                 is_undirected: bool = False, key: str = "edge_label", split_labels: bool = False,
                 add_negative_train_samples: bool = True, neg_sampling_ratio: float = 1.0,
                 disjoint_train_ratio: int | float = 0.0,
                 edge_types: EdgeType | Sequence[EdgeType] | None = None,
                 rev_edge_types: EdgeType | Sequence[EdgeType | None] | None = None) -> None:
        if isinstance(edge_types, tuple) and edge_types and isinstance(edge_types[0], str):
            edge_types = [edge_types]
            rev_edge_types = [rev_edge_types]  # type: ignore[list-item]
        if edge_types is not None and rev_edge_types is not None \
                and len(list(rev_edge_types)) != len(list(edge_types)):
            raise ValueError(f"RandomLinkSplit: rev_edge_types must have one entry per edge "
                             f"type ({len(edge_types)}), got {len(list(rev_edge_types))}")
        if neg_sampling_ratio < 0:
            raise ValueError(f"RandomLinkSplit: neg_sampling_ratio must be >= 0, got "
                             f"{neg_sampling_ratio}")
        self.num_val, self.num_test, self.is_undirected = num_val, num_test, is_undirected
        self.key, self.split_labels = key, split_labels
        self.add_negative_train_samples = add_negative_train_samples
        self.neg_sampling_ratio, self.disjoint_train_ratio = neg_sampling_ratio, disjoint_train_ratio
        self.edge_types = None if edge_types is None else list(edge_types)
        self.rev_edge_types = None if rev_edge_types is None else list(rev_edge_types)

    def __call__(self, data):
        return self.forward(data)

    def forward(self, data):
        splits = (copy.copy(data), copy.copy(data), copy.copy(data))
        if isinstance(data, HeteroData):
            if self.edge_types is None:
                raise ValueError("RandomLinkSplit: HeteroData needs edge_types (the edge types "
                                 "to split), e.g. edge_types=('user', 'rates', 'movie')")
            revs = self.rev_edge_types or [None] * len(self.edge_types)
            for et, rev in zip(self.edge_types, revs):
                et = tuple(et)
                if et not in data.edge_types:
                    raise ValueError(f"RandomLinkSplit: edge type {et} not in the graph; it has "
                                     f"{data.edge_types}")
                sizes = (int(data[et[0]].num_nodes or 0), int(data[et[2]].num_nodes or 0))
                self._split(data[et], [s[et] for s in splits], sizes, et[0] != et[2],
                            [s[tuple(rev)] for s in splits] if rev is not None else None)
        else:
            if self.edge_types is not None:
                raise ValueError("RandomLinkSplit: edge_types is only for HeteroData")
            n = int(data.num_nodes or 0)
            self._split(data, list(splits), (n, n), False, None)
        return splits

    def _edge_keys(self, store, num_edges: int) -> list[str]:
        skip = {"edge_index", self.key}
        return [k for k, v in store.items() if k not in skip and isinstance(v, Tensor)
                and v.dim() > 0 and v.size(0) == num_edges and (not isinstance(store, Data)
                                                                 or store.is_edge_attr(k))]

    def _split(self, store, outs: list, sizes: tuple[int, int], bipartite: bool,
               revs: list | None) -> None:
        ei = store.edge_index
        undirected = self.is_undirected and not bipartite
        candidates = (ei[0] <= ei[1]).nonzero().view(-1) if undirected \
            else torch.arange(ei.size(1), device=ei.device)
        perm = candidates[torch.randperm(candidates.numel()).to(ei.device)]
        n_val = _count(self.num_val, perm.numel(), "num_val")
        n_test = _count(self.num_test, perm.numel(), "num_test")
        n_train = perm.numel() - n_val - n_test
        if n_train <= 0:
            raise ValueError(f"RandomLinkSplit: num_val={self.num_val} and num_test="
                             f"{self.num_test} leave no training edges out of {perm.numel()}")
        val, test, train = perm[:n_val], perm[n_val:n_val + n_test], perm[n_val + n_test:]
        n_disjoint = _count(self.disjoint_train_ratio, n_train, "disjoint_train_ratio")
        if n_disjoint >= n_train and n_disjoint > 0:
            raise ValueError(f"RandomLinkSplit: disjoint_train_ratio={self.disjoint_train_ratio} "
                             f"leaves no message-passing edges out of {n_train} training edges")
        train_sup, train_mp = (train[:n_disjoint], train[n_disjoint:]) if n_disjoint else (train, train)

        n_neg = [math.ceil(self.neg_sampling_ratio * t.numel()) for t in (train_sup, val, test)]
        if not self.add_negative_train_samples:
            n_neg[0] = 0
        neg = negative_sampling(ei, sizes if bipartite else sizes[0], sum(n_neg))
        if neg.size(1) < sum(n_neg):
            warnings.warn(f"RandomLinkSplit: the graph has only {neg.size(1)} node pairs that "
                          f"are not edges, fewer than the {sum(n_neg)} negatives asked for; "
                          f"training gets the shortfall", stacklevel=3)
        # negatives are laid out [validation | test | training]
        neg_parts = [neg[:, n_neg[1] + n_neg[2]:], neg[:, :n_neg[1]],
                     neg[:, n_neg[1]:n_neg[1] + n_neg[2]]]

        keys = self._edge_keys(store, ei.size(1))
        mp_edges = (train_mp, train, torch.cat([train, val]))
        for out, mp, sup, negs, rev in zip(outs, mp_edges, (train_sup, val, test), neg_parts,
                                           revs or [None] * 3):
            self._message_passing(store, out, mp, keys, undirected, rev)
            self._labels(store, out, sup, negs)

    @staticmethod
    def _message_passing(store, out, edges: Tensor, keys: list[str], undirected: bool,
                         rev) -> None:
        ei = store.edge_index[:, edges]
        attrs = {k: store[k][edges] for k in keys}
        if undirected:
            off = ei[0] != ei[1]
            ei = torch.cat([ei, ei[:, off].flip(0)], 1)
            attrs = {k: torch.cat([v, v[off]], 0) for k, v in attrs.items()}
        if isinstance(out, Data) and "num_nodes" not in out:
            out.num_nodes = store.num_nodes
        out.edge_index = ei
        for k, v in attrs.items():
            out[k] = v
        if rev is not None:
            rev.edge_index = ei.flip(0)
            for k, v in attrs.items():
                if k in rev:
                    rev[k] = v

    def _labels(self, store, out, pos: Tensor, neg: Tensor) -> None:
        labels = store.get(self.key)
        if labels is not None:
            labels = labels[pos]
            if neg.size(1) > 0:
                if labels.dtype.is_floating_point or labels.dtype == torch.bool:
                    raise ValueError(f"RandomLinkSplit: {self.key} must hold integer labels "
                                     f"when negatives are added, got dtype {labels.dtype}")
                labels = labels + 1
        else:
            labels = torch.ones(pos.numel(), device=pos.device)
        pos_index = store.edge_index[:, pos]
        neg_label = labels.new_zeros(neg.size(1))
        if self.key in out:
            del out[self.key]
        if self.split_labels:
            out[f"pos_{self.key}"], out[f"pos_{self.key}_index"] = labels, pos_index
            out[f"neg_{self.key}"], out[f"neg_{self.key}_index"] = neg_label, neg
        else:
            out[self.key] = torch.cat([labels, neg_label])
            out[f"{self.key}_index"] = torch.cat([pos_index, neg], 1)

    def __repr__(self) -> str:
        return f"RandomLinkSplit(num_val={self.num_val}, num_test={self.num_test})"
