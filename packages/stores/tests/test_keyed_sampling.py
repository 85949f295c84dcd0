"""Keyed neighbour sampling: valid edges, exact fan-outs, order independence, uniformity."""

import torch

from geode_stores import DiskGraphStore
from geode_stores.keyed_sampling import csc_hop, keyed_uniform, sample_multi_hop


def _graph(num_nodes=60, num_edges=700, seed=0):
    g = torch.Generator().manual_seed(seed)
    ei = torch.randint(num_nodes, (2, num_edges), generator=g)
    perm = torch.argsort(ei[1], stable=True)
    colptr = torch.zeros(num_nodes + 1, dtype=torch.long)
    colptr[1:] = torch.cumsum(torch.bincount(ei[1], minlength=num_nodes), 0)
    return ei, colptr, ei[0][perm], perm


def test_sampled_edges_exist_and_fanouts_are_exact():
    ei, colptr, row, perm = _graph()
    out = sample_multi_hop(csc_hop(colptr, row, perm, seed=3, epoch=1), torch.tensor([5, 9, 5]), [4, 2])
    src, dst = out.n_id[out.edge_index[0]], out.n_id[out.edge_index[1]]
    assert torch.equal(ei[0][out.e_id], src) and torch.equal(ei[1][out.e_id], dst)
    assert out.n_id[:3].tolist() == [5, 9, 5] and out.n_id[3:].unique().numel() == out.n_id[3:].numel()
    assert sum(out.num_sampled_nodes) == out.n_id.numel()
    in_deg = torch.bincount(ei[1], minlength=60)
    per_target = {}
    for e, d in zip(out.e_id.tolist(), dst.tolist()):
        per_target.setdefault(d, []).append(e)
    for hop_nodes, k in ((out.n_id[:3].unique(), 4),):
        for v in hop_nodes.tolist():
            assert len(per_target[v]) == min(k, int(in_deg[v]))
            assert len(set(per_target[v])) == len(per_target[v])  # without replacement


def test_samples_do_not_depend_on_batch_composition():
    """The neighbours drawn for a node are the same whatever else is in the batch."""
    _, colptr, row, perm = _graph()
    hop = csc_hop(colptr, row, perm, seed=11, epoch=2)
    alone = sample_multi_hop(hop, torch.tensor([7]), [3])
    crowd = sample_multi_hop(hop, torch.tensor([1, 2, 7, 40]), [3])
    e_alone = set(alone.e_id.tolist())
    dst_crowd = crowd.n_id[crowd.edge_index[1]]
    assert set(crowd.e_id[dst_crowd == 7].tolist()) == e_alone
    other_epoch = sample_multi_hop(csc_hop(colptr, row, perm, seed=11, epoch=3), torch.tensor([7]), [3])
    deg7 = int(colptr[8] - colptr[7])
    assert deg7 > 3 and other_epoch.e_id.numel() == 3


def test_keyed_uniform_is_uniform_and_selection_is_unbiased():
    u = keyed_uniform(0, 0, 0, torch.arange(20000), torch.zeros(1, dtype=torch.long))
    assert float(u.min()) >= 0 and float(u.max()) < 1
    counts = torch.histc(u.float(), bins=10, min=0, max=1)
    assert (counts - 2000).abs().max() < 200  # ~4.5 sigma
    # 3000 nodes sharing the same 10 in-neighbours, fan-out 3: each neighbour ~30% of the time
    n = 3000
    colptr = torch.arange(0, 10 * n + 1, 10)
    row = torch.arange(10).repeat(n)
    out = sample_multi_hop(csc_hop(colptr, row, None, seed=5, epoch=0), torch.arange(n), [3])
    freq = torch.bincount(row[out.e_id], minlength=10).double() / n
    assert (freq - 0.3).abs().max() < 0.04


def test_disk_graph_store_samples_like_the_in_memory_adjacency(tmp_path):
    ei, colptr, row, perm = _graph()
    store = DiskGraphStore(tmp_path / "g")
    store.put_edge_index((ei[0], ei[1]), edge_type=None, layout="coo", size=(60, 60))
    got = store.sample(torch.tensor([3, 8]), [5, 3], seed=4, epoch=0)
    expected = sample_multi_hop(csc_hop(colptr, row, perm, seed=4, epoch=0), torch.tensor([3, 8]), [5, 3])
    assert torch.equal(got.n_id, expected.n_id) and torch.equal(got.e_id, expected.e_id)
    assert torch.equal(got.edge_index, expected.edge_index)
