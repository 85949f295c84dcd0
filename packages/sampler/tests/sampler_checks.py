"""Independent checks of sampled batches against the input graph (brute force)."""

from __future__ import annotations

import torch


def random_data(num_nodes=60, num_edges=500, seed=0, **extra):
    from geode_core.data import Data

    g = torch.Generator().manual_seed(seed)
    ei = torch.randint(0, num_nodes, (2, num_edges), generator=g)
    return Data(x=torch.randn(num_nodes, 4, generator=g), edge_index=ei,
                edge_attr=torch.randn(num_edges, 2, generator=g),
                y=torch.randint(0, 3, (num_nodes,), generator=g), **extra)


def assert_ids_map_back(edge_index, n_id_src, n_id_dst, e_id, global_ei):
    """n_id[edge_index] equals the global edges named by e_id."""
    assert torch.equal(n_id_src[edge_index[0]], global_ei[0, e_id])
    assert torch.equal(n_id_dst[edge_index[1]], global_ei[1, e_id])


def assert_fanout(edge_index, num_sampled_nodes, num_sampled_edges, n_id_dst, global_ei, fanout, num_dst):
    """Per hop, each frontier node got min(k, in-degree) edges (k == -1: all)."""
    deg = torch.bincount(global_ei[1], minlength=num_dst)
    bounds = torch.tensor([0, *num_sampled_nodes]).cumsum(0)
    hop = torch.repeat_interleave(torch.arange(len(num_sampled_edges)), torch.tensor(num_sampled_edges))
    for h, k in enumerate(fanout):
        frontier = torch.arange(int(bounds[h]), int(bounds[h + 1]))
        counts = torch.bincount(edge_index[1][hop == h], minlength=len(n_id_dst))[frontier]
        d = deg[n_id_dst[frontier]]
        expected = d if k == -1 else torch.minimum(d, torch.tensor(k))
        assert torch.equal(counts, expected), (h, counts, expected)
