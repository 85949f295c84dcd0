"""DataLoader yields Batch objects equal to a hand-built Batch."""

import pytest
import torch

from geode_core.data import Batch, Data
from geode_core.loader import DataLoader


def graphs(k=10):
    out = []
    for i in range(k):
        n = i % 4 + 1
        out.append(Data(x=torch.full((n, 2), float(i)),
                        edge_index=torch.stack([torch.arange(n), torch.arange(n).roll(1)]),
                        y=torch.tensor([i]), s=torch.ones(i % 3 + 1)))
    return out


def test_batches_match_from_data_list():
    data = graphs()
    loader = DataLoader(data, batch_size=4, follow_batch=["s"], exclude_keys=["y"])
    batches = list(loader)
    assert [b.num_graphs for b in batches] == [4, 4, 2]
    ref = Batch.from_data_list(data[4:8], follow_batch=["s"], exclude_keys=["y"])
    b = batches[1]
    for key in ("x", "edge_index", "batch", "ptr", "s", "s_batch"):
        assert torch.equal(b[key], ref[key]), key
    assert "y" not in b
    assert [g.num_nodes for g in b.to_data_list()] == [d.num_nodes for d in data[4:8]]


def test_shuffle_workers_and_pairs():
    data = graphs(12)
    seen = []
    for b in DataLoader(data, batch_size=5, shuffle=True, num_workers=2):
        seen += b.y.tolist()
    assert sorted(seen) == list(range(12))
    pairs = list(zip(data, data))
    a, b = next(iter(DataLoader(pairs, batch_size=3)))
    assert isinstance(a, Batch) and a.num_graphs == 3 and torch.equal(a.x, b.x)


def test_workers_give_the_same_batches_as_the_main_process():
    data = graphs(9)
    ref = list(DataLoader(data, batch_size=4))
    got = list(DataLoader(data, batch_size=4, num_workers=2, persistent_workers=False))
    assert len(got) == len(ref)
    for a, b in zip(got, ref):
        assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in ("x", "edge_index", "batch", "ptr"))
        assert [g.num_nodes for g in a.to_data_list()] == [g.num_nodes for g in b.to_data_list()]


def test_pin_memory_without_accelerator_still_batches():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that nothing can be pinned without a GPU
        batches = list(DataLoader(graphs(6), batch_size=3, pin_memory=not torch.cuda.is_available()))
    assert [b.num_graphs for b in batches] == [3, 3]


@pytest.mark.gpu
def test_pin_memory_pins_batches_and_cuda_moves_them():
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    batches = list(DataLoader(graphs(6), batch_size=3, pin_memory=True, num_workers=1))
    b = batches[0]
    assert b.x.is_pinned() and b.edge_index.is_pinned() and b.batch.is_pinned()
    assert b.num_graphs == 3 and b.get_example(1).x.is_pinned()
    moved = b.cuda()
    assert moved.x.is_cuda and moved.adj_t.rowptr.is_cuda
    pinned = Data(x=torch.zeros(2, 2)).pin_memory()
    assert pinned.x.is_pinned()
