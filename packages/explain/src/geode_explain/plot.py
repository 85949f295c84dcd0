"""Matplotlib plots of explanations (the ``plot`` extra), imported on first use."""

from __future__ import annotations

from torch import Tensor


def _figure(path: str | None, size: tuple[float, float]):
    """A figure: off-screen when saving to ``path``, a pyplot window otherwise."""
    try:
        if path is not None:
            from matplotlib.figure import Figure

            return Figure(figsize=size)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("plotting explanations needs matplotlib: pip install "
                          "'geode-explain[plot]'") from exc
    return plt.figure(figsize=size)


def _finish(fig, path: str | None):
    if path is None:
        import matplotlib.pyplot as plt

        plt.show()
        return fig
    fig.savefig(path, bbox_inches="tight")
    return None


def plot_feature_importance(score: Tensor, path: str | None, feat_labels, top_k: int | None):
    """Horizontal bars of ``score`` per feature, largest first (at most ``top_k``)."""
    score = score.float().cpu()
    labels = list(feat_labels) if feat_labels is not None else [str(i) for i in range(score.numel())]
    if len(labels) != score.numel():
        raise ValueError(f"feat_labels has {len(labels)} entries, expected one per feature "
                         f"({score.numel()})")
    if top_k is not None and top_k <= 0:
        raise ValueError(f"top_k must be a positive int, got {top_k}")
    order = score.argsort(descending=True)[:top_k].tolist()
    fig = _figure(path, (6, 0.3 * len(order) + 1.2))
    ax = fig.add_subplot()
    ax.barh(range(len(order)), [float(score[i]) for i in order], color="tab:blue")
    ax.set_yticks(range(len(order)), [labels[i] for i in order])
    ax.invert_yaxis()
    ax.set_xlabel("feature importance")
    return _finish(fig, path)


def plot_graph(edge_index: Tensor, edge_mask: Tensor, num_nodes: int, path: str | None, node_labels):
    """The graph in a networkx spring layout; edge ``e`` drawn with opacity ``mask[e] / max``."""
    try:
        import networkx as nx
    except ImportError as exc:
        raise ImportError("visualize_graph needs networkx: pip install 'geode-explain[plot]'") from exc
    mask = edge_mask.float().cpu()
    mask = mask / mask.max() if mask.numel() and float(mask.max()) > 0 else mask
    graph = nx.Graph()
    graph.add_nodes_from(range(num_nodes))
    pairs = edge_index.t().tolist()
    graph.add_edges_from(pairs)
    pos = nx.spring_layout(graph, seed=0)
    fig = _figure(path, (6, 6))
    ax = fig.add_subplot()
    for (src, dst), alpha in zip(pairs, mask.tolist()):
        if alpha > 0:
            ax.annotate("", xy=pos[dst], xytext=pos[src],
                        arrowprops=dict(arrowstyle="->", alpha=alpha, color="black", lw=1.5,
                                        shrinkA=8, shrinkB=8))
    labels = {i: str(node_labels[i]) for i in range(num_nodes)} if node_labels is not None else \
        {i: str(i) for i in range(num_nodes)}
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=250, node_color="white", edgecolors="gray")
    nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=8)
    ax.set_axis_off()
    return _finish(fig, path)
