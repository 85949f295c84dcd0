"""Explanation and HeteroExplanation: graphs carrying the masks an explainer produced.

``node_mask`` has shape ``[N, 1]`` (object), ``[1, F]`` (common attributes) or ``[N, F]``
(attributes); ``edge_mask`` has shape ``[E]``. Masks are non-negative; larger is more
important.
"""

from __future__ import annotations

import torch
from torch import Tensor

from geode_core.data import Data, HeteroData

from .config import ThresholdConfig, cast_config
from .threshold import threshold_mask

MASK_KEYS = ("node_mask", "edge_mask")
#: attributes the Explainer sets that are not model inputs
NON_INPUT_KEYS = ("x", "edge_index", "node_mask", "edge_mask", "prediction", "target", "index",
                  "num_nodes")


def _threshold_config(args, kwargs) -> ThresholdConfig | None:
    if len(args) == 1 and not kwargs:
        return cast_config(ThresholdConfig, args[0], "threshold_config")
    if args or kwargs:
        return ThresholdConfig(*args, **kwargs)
    return None


def _check_mask(name: str, mask: Tensor | None, rows: int, cols: int | None, edge: bool) -> list[str]:
    if mask is None:
        return []
    if edge:
        if mask.dim() != 1 or mask.numel() != rows:
            return [f"{name}: expected shape [{rows}] (one entry per edge), got {list(mask.shape)}"]
        return []
    if mask.dim() != 2 or mask.size(0) not in (1, rows) or (cols is not None and mask.size(1) not in (1, cols)):
        return [f"{name}: expected shape [{rows}, 1], [1, {cols}] or [{rows}, {cols}], got "
                f"{list(mask.shape)}"]
    return []


class Explanation(Data):
    """An explained graph: ``x``, ``edge_index``, ``node_mask``, ``edge_mask``,
    ``prediction``, ``target``, ``index`` and any model keyword inputs."""

    @property
    def available_explanations(self) -> list[str]:
        """The mask attributes this explanation holds."""
        return [key for key in MASK_KEYS if self.get(key) is not None]

    def model_kwargs(self) -> dict:
        """The extra keyword inputs of the model this explanation holds (e.g. ``batch``)."""
        return {key: self[key] for key in self.keys() if key not in NON_INPUT_KEYS}

    def validate_masks(self, raise_on_error: bool = True) -> bool:
        """Check mask shapes against the graph; report every problem at once."""
        x = self.get("x")
        problems = _check_mask("node_mask", self.get("node_mask"), self.num_nodes or 0,
                               x.size(-1) if isinstance(x, Tensor) and x.dim() == 2 else None, False)
        problems += _check_mask("edge_mask", self.get("edge_mask"), self.num_edges, None, True)
        if problems and raise_on_error:
            raise ValueError("Explanation masks are invalid:\n  - " + "\n  - ".join(problems))
        return not problems

    def threshold(self, *args, **kwargs) -> Explanation:
        """A copy with masks thresholded: ``threshold(ThresholdConfig | dict)`` or
        ``threshold(threshold_type, value)``; no argument returns an unchanged copy."""
        config = _threshold_config(args, kwargs)
        out = self.clone()
        for key in self.available_explanations:
            out[key] = threshold_mask(self[key], config)
        return out

    def _kept_nodes(self, keep_important: bool) -> Tensor:
        node_mask = self.get("node_mask")
        n = self.num_nodes or 0
        if node_mask is None or node_mask.size(0) != n:
            return torch.ones(n, dtype=torch.bool)
        important = node_mask.sum(dim=-1) > 0
        return important if keep_important else ~important

    def _masked_subgraph(self, keep_important: bool) -> Explanation:
        out = self
        edge_mask = self.get("edge_mask")
        if edge_mask is not None:
            out = out.edge_subgraph(edge_mask > 0 if keep_important else edge_mask == 0)
        return out.subgraph(self._kept_nodes(keep_important))

    def get_explanation_subgraph(self) -> Explanation:
        """The graph of nodes with a non-zero node mask and edges with a non-zero edge mask
        (nodes relabelled; ``index`` still refers to the original graph)."""
        return self._masked_subgraph(True)

    def get_complement_subgraph(self) -> Explanation:
        """The graph of nodes and edges whose masks are zero (the complement of
        :meth:`get_explanation_subgraph`)."""
        return self._masked_subgraph(False)

    def visualize_feature_importance(self, path: str | None = None, feat_labels=None,
                                     top_k: int | None = None):
        """Bar plot of the node mask summed over nodes per feature (the ``top_k`` largest);
        saved to ``path`` or shown. Needs matplotlib (``pip install geode-explain[plot]``)."""
        from .plot import plot_feature_importance

        node_mask = self.get("node_mask")
        if node_mask is None:
            raise ValueError("visualize_feature_importance needs a node_mask; this explanation "
                             f"holds {self.available_explanations}")
        return plot_feature_importance(node_mask.detach().sum(dim=0), path, feat_labels, top_k)

    def visualize_graph(self, path: str | None = None, node_labels=None):
        """Draw the graph (networkx spring layout) with each edge's opacity set by its mask;
        saved to ``path`` or shown. Needs matplotlib (``pip install geode-explain[plot]``)."""
        from .plot import plot_graph

        edge_mask = self.get("edge_mask")
        if edge_mask is None:
            raise ValueError("visualize_graph needs an edge_mask; this explanation holds "
                             f"{self.available_explanations}")
        return plot_graph(self.edge_index, edge_mask.detach(), self.num_nodes, path, node_labels)


class HeteroExplanation(HeteroData):
    """An explained heterogeneous graph: ``node_mask`` in each node type's store and
    ``edge_mask`` in each edge type's store (``node_mask_dict``, ``edge_mask_dict``)."""

    @property
    def node_mask_dict(self) -> dict[str, Tensor]:
        return {nt: s["node_mask"] for nt, s in zip(self.node_types, self.node_stores) if "node_mask" in s}

    @property
    def edge_mask_dict(self) -> dict:
        return {et: s["edge_mask"] for et, s in zip(self.edge_types, self.edge_stores) if "edge_mask" in s}

    @property
    def available_explanations(self) -> list[str]:
        return [key for key, d in (("node_mask", self.node_mask_dict), ("edge_mask", self.edge_mask_dict)) if d]

    def validate_masks(self, raise_on_error: bool = True) -> bool:
        problems = []
        for nt, mask in self.node_mask_dict.items():
            x = self[nt].get("x")
            problems += _check_mask(f"node_mask[{nt!r}]", mask, self[nt].num_nodes or 0,
                                    x.size(-1) if isinstance(x, Tensor) and x.dim() == 2 else None, False)
        for et, mask in self.edge_mask_dict.items():
            problems += _check_mask(f"edge_mask[{et}]", mask, self[et].num_edges, None, True)
        if problems and raise_on_error:
            raise ValueError("HeteroExplanation masks are invalid:\n  - " + "\n  - ".join(problems))
        return not problems

    def threshold(self, *args, **kwargs) -> HeteroExplanation:
        """A copy with every type's masks thresholded (top-k runs per type)."""
        config = _threshold_config(args, kwargs)
        out = self.clone()
        for nt, mask in self.node_mask_dict.items():
            out[nt].node_mask = threshold_mask(mask, config)
        for et, mask in self.edge_mask_dict.items():
            out[et].edge_mask = threshold_mask(mask, config)
        return out

    def _masked_subgraph(self, keep_important: bool) -> HeteroExplanation:
        out = self.clone()
        kept: dict[str, Tensor] = {}
        for nt, store in zip(out.node_types, out.node_stores):
            n = int(store.num_nodes or 0)
            mask = store.get("node_mask")
            keep = torch.ones(n, dtype=torch.bool) if mask is None or mask.size(0) != n else (
                (mask.sum(-1) > 0) if keep_important else (mask.sum(-1) == 0))
            kept[nt] = keep
            for key, value in list(store.items()):
                if isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == n:
                    store[key] = value[keep]
            store.num_nodes = int(keep.sum())
        for et, store in zip(out.edge_types, out.edge_stores):
            ei = store["edge_index"]
            e = ei.size(1)
            edge_mask = store.get("edge_mask")
            keep = torch.ones(e, dtype=torch.bool) if edge_mask is None else (
                edge_mask > 0 if keep_important else edge_mask == 0)
            keep &= kept[et[0]][ei[0]] & kept[et[2]][ei[1]]
            relabel = {nt: torch.cumsum(kept[nt].long(), 0) - 1 for nt in (et[0], et[2])}
            for key, value in list(store.items()):
                if key != "edge_index" and isinstance(value, Tensor) and value.dim() > 0 and value.size(0) == e:
                    store[key] = value[keep]
            store["edge_index"] = torch.stack([relabel[et[0]][ei[0, keep]], relabel[et[2]][ei[1, keep]]])
        return out

    def get_explanation_subgraph(self) -> HeteroExplanation:
        """Per type, the nodes and edges with non-zero masks (nodes relabelled)."""
        return self._masked_subgraph(True)

    def get_complement_subgraph(self) -> HeteroExplanation:
        """Per type, the nodes and edges whose masks are zero."""
        return self._masked_subgraph(False)

    def visualize_feature_importance(self, path: str | None = None, feat_labels=None,
                                     top_k: int | None = None):
        """Bar plot over every node type's features (labelled ``"<type>: <feature>"``)."""
        from .plot import plot_feature_importance

        masks = self.node_mask_dict
        if not masks:
            raise ValueError("visualize_feature_importance needs node masks; none are set")
        scores, labels = [], []
        for nt, mask in masks.items():
            score = mask.detach().sum(dim=0)
            names = (feat_labels or {}).get(nt) or [str(i) for i in range(score.numel())]
            scores.append(score)
            labels += [f"{nt}: {name}" for name in names]
        return plot_feature_importance(torch.cat(scores), path, labels, top_k)
