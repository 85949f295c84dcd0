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


def _chunks(x: Tensor, y: Tensor, batch_x: Tensor, batch_y: Tensor, cosine: bool,
            exclude_self: bool):
    """Yield ``(start, dist)``: distances from a chunk of ``y`` rows to every ``x`` row, with
    ``inf`` across graphs (and on the diagonal when ``exclude_self``)."""
    step = max(1, CHUNK_ENTRIES // max(x.size(0), 1))
    if cosine:
        x = torch.nn.functional.normalize(x, dim=-1)
        y = torch.nn.functional.normalize(y, dim=-1)
    cols = torch.arange(x.size(0), device=x.device)
    for start in range(0, y.size(0), step):
        yc = y[start:start + step]
        if cosine:
            dist = 1.0 - yc @ x.t()
        else:
            dist = torch.cdist(yc, x)
        dist = dist.masked_fill(batch_y[start:start + step, None] != batch_x[None, :], float("inf"))
        if exclude_self:
            rows = torch.arange(start, start + yc.size(0), device=x.device)
            dist = dist.masked_fill(rows[:, None] == cols[None, :], float("inf"))
        yield start, dist


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
    for start, dist in _chunks(x, y, batch_x, batch_y, cosine, _exclude_self):
        kk = min(k, dist.size(1))
        d, idx = torch.topk(dist, kk, dim=1, largest=False, sorted=True)
        ok = torch.isfinite(d)
        r = torch.arange(start, start + dist.size(0), device=x.device)[:, None].expand_as(idx)
        rows.append(r[ok])
        cols.append(idx[ok])
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
    for start, dist in _chunks(x, y, batch_x, batch_y, False, _exclude_self):
        kk = min(max_num_neighbors, dist.size(1))
        d, idx = torch.topk(dist, kk, dim=1, largest=False, sorted=True)
        ok = d < r
        rr = torch.arange(start, start + dist.size(0), device=x.device)[:, None].expand_as(idx)
        rows.append(rr[ok])
        cols.append(idx[ok])
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
