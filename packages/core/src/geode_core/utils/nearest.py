"""k-nearest-neighbour and radius graphs in pure torch, with chunked distance matrices."""

from __future__ import annotations

import torch
from torch import Tensor

#: distance entries computed per chunk (rows of ``y`` times rows of ``x``)
CHUNK_ENTRIES = 1 << 22


def _check_points(x: Tensor, y: Tensor, batch_x: Tensor | None, batch_y: Tensor | None,
                  fn: str) -> tuple[Tensor, Tensor]:
    for name, t in (("x", x), ("y", y)):
        if t.dim() != 2:
            raise ValueError(f"{fn}: {name} must be [num_points, num_dims], got shape "
                             f"{list(t.shape)}")
    if x.size(1) != y.size(1):
        raise ValueError(f"{fn}: x and y must have the same number of dimensions, got "
                         f"{x.size(1)} and {y.size(1)}")
    out = []
    for name, b, t in (("batch_x", batch_x, x), ("batch_y", batch_y, y)):
        if b is None:
            b = torch.zeros(t.size(0), dtype=torch.long, device=t.device)
        elif b.shape != (t.size(0),):
            raise ValueError(f"{fn}: {name} must have shape [{t.size(0)}], got {list(b.shape)}")
        out.append(b)
    return out[0], out[1]


def _column_range(batch_x: Tensor, batch_y: Tensor, sorted_x: bool) -> tuple[int, int]:
    """Columns of ``x`` that can share a graph with the rows of ``batch_y`` (all when
    ``batch_x`` is unsorted)."""
    if not sorted_x:
        return 0, batch_x.numel()
    lo = int(torch.searchsorted(batch_x, batch_y.min(), right=False))
    hi = int(torch.searchsorted(batch_x, batch_y.max(), right=True))
    return lo, hi


def _chunks(x: Tensor, y: Tensor, batch_x: Tensor, batch_y: Tensor, cosine: bool,
            exclude_self: bool):
    """Yield ``(rows, first_col, dist)``: squared Euclidean (or cosine) distances from a
    chunk of ``y`` rows to the ``x`` rows ``first_col ..`` that may share their graph,
    ``inf`` across graphs (and from a point to itself when ``exclude_self``)."""
    if cosine:
        x = torch.nn.functional.normalize(x, dim=-1)
        y = torch.nn.functional.normalize(y, dim=-1)
    else:
        x_sq, y_sq = (x * x).sum(-1), (y * y).sum(-1)
    one_graph = batch_x.numel() == 0 or batch_y.numel() == 0 or \
        (bool((batch_x == batch_x[0]).all()) and bool((batch_y == batch_x[0]).all()))
    sorted_x = batch_x.numel() < 2 or bool((batch_x[1:] >= batch_x[:-1]).all())
    step = max(1, CHUNK_ENTRIES // max(x.size(0), 1))
    for start in range(0, y.size(0), step):
        rows = torch.arange(start, min(start + step, y.size(0)), device=y.device)
        by = batch_y[rows]
        lo, hi = (0, x.size(0)) if one_graph else _column_range(batch_x, by, sorted_x)
        xc, yc = x[lo:hi], y[rows]
        if cosine:
            dist = 1.0 - yc @ xc.t()
        else:  # |y|^2 + |x|^2 - 2 y.x, one matrix product
            dist = torch.addmm(x_sq[None, lo:hi], yc, xc.t(), alpha=-2).add_(
                y_sq[rows, None]).clamp_(min=0)
        if not one_graph:
            dist = dist.masked_fill(by[:, None] != batch_x[None, lo:hi], float("inf"))
        if exclude_self:
            inside = (rows >= lo) & (rows < hi)
            dist[torch.arange(rows.numel(), device=y.device)[inside], rows[inside] - lo] = float("inf")
        yield rows, lo, dist


def knn(x: Tensor, y: Tensor, k: int, batch_x: Tensor | None = None,
        batch_y: Tensor | None = None, cosine: bool = False, *, _exclude_self: bool = False
        ) -> Tensor:
    """For every row of ``y``, its ``k`` nearest rows of ``x`` within the same graph.

    Returns ``[2, M]``: row 0 indexes ``y``, row 1 indexes ``x``, sorted by ``y`` then by
    distance (equal distances in any order). Fewer than ``k`` appear when a graph has fewer points.
    ``cosine`` uses ``1 - cos`` instead of the Euclidean distance.
    """
    if k < 1:
        raise ValueError(f"knn: k must be a positive int, got {k}")
    batch_x, batch_y = _check_points(x, y, batch_x, batch_y, "knn")
    rows, cols = [], []
    for chunk_rows, first_col, dist in _chunks(x, y, batch_x, batch_y, cosine, _exclude_self):
        d, idx = torch.topk(dist, min(k, dist.size(1)), dim=1, largest=False, sorted=True)
        ok = torch.isfinite(d)
        rows.append(chunk_rows[:, None].expand_as(idx)[ok])
        cols.append(idx[ok] + first_col)
    if not rows:
        return torch.empty(2, 0, dtype=torch.long, device=x.device)
    return torch.stack([torch.cat(rows), torch.cat(cols)])


def radius(x: Tensor, y: Tensor, r: float, batch_x: Tensor | None = None,
           batch_y: Tensor | None = None, max_num_neighbors: int = 32, *,
           _exclude_self: bool = False) -> Tensor:
    """For every row of ``y``, the rows of ``x`` (same graph) closer than ``r``, at most
    ``max_num_neighbors`` of them (the nearest). Returns ``[2, M]`` as :func:`knn`."""
    if r < 0:
        raise ValueError(f"radius: r must be non-negative, got {r}")
    if max_num_neighbors < 1:
        raise ValueError(f"radius: max_num_neighbors must be positive, got {max_num_neighbors}")
    batch_x, batch_y = _check_points(x, y, batch_x, batch_y, "radius")
    rows, cols = [], []
    for chunk_rows, first_col, dist in _chunks(x, y, batch_x, batch_y, False, _exclude_self):
        d, idx = torch.topk(dist, min(max_num_neighbors, dist.size(1)), dim=1, largest=False,
                            sorted=True)
        ok = d < r * r
        rows.append(chunk_rows[:, None].expand_as(idx)[ok])
        cols.append(idx[ok] + first_col)
    if not rows:
        return torch.empty(2, 0, dtype=torch.long, device=x.device)
    return torch.stack([torch.cat(rows), torch.cat(cols)])


def _as_graph(pairs: Tensor, flow: str, fn: str) -> Tensor:
    """``pairs`` row 0 = centre, row 1 = neighbour -> edges in the direction of ``flow``."""
    if flow not in ("source_to_target", "target_to_source"):
        raise ValueError(f"{fn}: flow must be 'source_to_target' or 'target_to_source', got "
                         f"{flow!r}")
    return pairs.flip(0) if flow == "source_to_target" else pairs


def knn_graph(x: Tensor, k: int, batch: Tensor | None = None, loop: bool = False,
              flow: str = "source_to_target", cosine: bool = False) -> Tensor:
    """Edges from each node's ``k`` nearest neighbours (same graph in ``batch``) to it.

    ``flow='source_to_target'`` gives edges ``neighbour -> node``; ``'target_to_source'``
    the reverse. ``loop`` counts a node as its own neighbour.
    """
    pairs = knn(x, x, k, batch, batch, cosine, _exclude_self=not loop)
    return _as_graph(pairs, flow, "knn_graph")


def radius_graph(x: Tensor, r: float, batch: Tensor | None = None, loop: bool = False,
                 max_num_neighbors: int = 32, flow: str = "source_to_target") -> Tensor:
    """Edges between nodes of the same graph closer than ``r`` (at most
    ``max_num_neighbors`` incoming per node, the nearest), direction as :func:`knn_graph`."""
    pairs = radius(x, x, r, batch, batch, max_num_neighbors, _exclude_self=not loop)
    return _as_graph(pairs, flow, "radius_graph")
