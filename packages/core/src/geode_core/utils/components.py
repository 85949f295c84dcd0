"""Connected components (weak: union by pointer jumping; strong: Tarjan)."""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import check_edge_index, infer_num_nodes


def _weak_components(edge_index: Tensor, n: int) -> Tensor:
    """Smallest node id of each node's component: hook roots onto smaller ids, then jump."""
    parent = torch.arange(n, device=edge_index.device)
    src, dst = edge_index
    while True:
        ps, pd = parent.index_select(0, src), parent.index_select(0, dst)
        lo, hi = torch.minimum(ps, pd), torch.maximum(ps, pd)
        if torch.equal(lo, hi):
            return parent
        parent.scatter_reduce_(0, hi, lo, "amin")  # joined edges (lo == hi) change nothing
        while True:  # pointer jumping until every tree is a star
            grand = parent.index_select(0, parent)
            if torch.equal(grand, parent):
                break
            parent = grand


def _strong_components(edge_index: Tensor, n: int) -> Tensor:
    """Tarjan's algorithm, iterative, over a CSR built with torch."""
    order = torch.argsort(edge_index[0], stable=True)
    targets = edge_index[1, order].tolist()
    ptr = torch.zeros(n + 1, dtype=torch.long)
    ptr[1:] = torch.bincount(edge_index[0].cpu(), minlength=n).cumsum(0)
    ptr = ptr.tolist()
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, ptr[root])]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, e = work[-1]
            if e < ptr[v + 1]:
                work[-1] = (v, e + 1)
                w = targets[e]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, ptr[w]))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = v
                    if w == v:
                        break
    return torch.tensor(comp, dtype=torch.long, device=edge_index.device)


def connected_components(edge_index: Tensor, num_nodes: int | None = None,
                         connection: str = "weak") -> tuple[int, Tensor]:
    """``(num_components, component)``: components numbered ``0 ..`` in order of each
    component's smallest node id. ``connection='weak'`` ignores edge direction;
    ``'strong'`` groups nodes that reach each other along edges."""
    check_edge_index(edge_index)
    if connection not in ("weak", "strong"):
        raise ValueError(f"connected_components: connection must be 'weak' or 'strong', got "
                         f"{connection!r}")
    n = infer_num_nodes(edge_index, num_nodes)
    if n == 0:
        return 0, torch.empty(0, dtype=torch.long, device=edge_index.device)
    label = _weak_components(edge_index, n) if connection == "weak" \
        else _strong_components(edge_index, n)
    # renumber by smallest member: the first occurrence of each label in node order
    first = torch.full((n,), n, dtype=torch.long, device=label.device)
    first.scatter_reduce_(0, label, torch.arange(n, device=label.device), "amin")
    _, component = torch.unique(first[label], return_inverse=True)
    return int(component.max()) + 1, component
