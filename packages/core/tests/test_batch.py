"""Batch collation and exact round trips."""

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from geode_core.data import Batch, Data


@st.composite
def graphs(draw):
    n = draw(st.integers(0, 6))
    m = draw(st.integers(0, 10)) if n else 0
    seed = draw(st.integers(0, 2**16))
    g = torch.Generator().manual_seed(seed)
    return Data(x=torch.randn(n, 3, generator=g),
                edge_index=torch.randint(0, max(n, 1), (2, m), generator=g),
                edge_attr=torch.randn(m, 2, generator=g),
                y=torch.tensor(seed % 3), label=f"g{seed}", weight=float(seed), num_nodes=n)


def same(a: Data, b: Data) -> bool:
    if a.keys() != b.keys():
        return False
    for k, va in a:
        vb = b[k]
        if isinstance(va, torch.Tensor):
            if not (va.dtype == vb.dtype and va.shape == vb.shape and torch.equal(va, vb)):
                return False
        elif type(va) is not type(vb) or va != vb:
            return False
    return True


@settings(max_examples=60, deadline=None)
@given(st.lists(graphs(), min_size=1, max_size=5))
def test_round_trip_is_exact(data_list):
    batch = Batch.from_data_list(data_list)
    assert batch.num_graphs == len(data_list)
    assert batch.num_nodes == sum(d.num_nodes for d in data_list)
    back = batch.to_data_list()
    assert all(same(a, b) for a, b in zip(data_list, back))
    # reference: disjoint union built by hand
    offset, ref = 0, []
    for d in data_list:
        ref.append(d.edge_index + offset)
        offset += d.num_nodes
    assert torch.equal(batch.edge_index, torch.cat(ref, 1))
    assert batch.ptr.tolist() == [0, *torch.tensor([d.num_nodes for d in data_list]).cumsum(0).tolist()]
    assert batch.batch.tolist() == [i for i, d in enumerate(data_list) for _ in range(d.num_nodes)]
    assert batch.y.shape == (len(data_list),)


def test_follow_batch_exclude_and_get_example():
    a = Data(x=torch.zeros(2, 1), edge_index=torch.tensor([[0], [1]]), s=torch.ones(3))
    b = Data(x=torch.ones(3, 1), edge_index=torch.tensor([[2, 0], [1, 1]]), s=torch.ones(1))
    batch = Batch.from_data_list([a, b], follow_batch=["s"], exclude_keys=["x"])
    assert "x" not in batch
    assert batch.s_batch.tolist() == [0, 0, 0, 1] and batch.s_ptr.tolist() == [0, 3, 4]
    assert batch.edge_index.tolist() == [[0, 4, 2], [1, 3, 3]]
    ex = batch.get_example(1)
    assert ex.edge_index.tolist() == [[2, 0], [1, 1]] and "s_batch" not in ex
    assert batch[-1].s.tolist() == [1.0]
    assert len(batch[0:2]) == 2
    assert repr(batch).startswith("Batch(num_graphs=2, ")


def test_missing_key_is_named():
    import pytest

    with pytest.raises(ValueError, match=r"graph 1 lacks attribute\(s\) \['y'\]"):
        Batch.from_data_list([Data(x=torch.zeros(1, 1), y=torch.ones(1)), Data(x=torch.zeros(1, 1))])


def test_stored_adjacencies_collate_block_diagonally():
    import pytest

    from geode_core.loader import DataLoader
    from geode_core.nn import GCNConv
    from geode_core.transforms import ToSparseTensor

    g = torch.Generator().manual_seed(0)
    graphs = [Data(x=torch.randn(n, 3, generator=g), edge_index=torch.randint(0, n, (2, 2 * n), generator=g),
                   edge_weight=torch.rand(2 * n, generator=g)) for n in (3, 5, 4)]
    sparse = [ToSparseTensor()(d) for d in graphs]
    batch = next(iter(DataLoader(sparse, batch_size=3)))
    ref = Batch.from_data_list(graphs)
    assert batch.adj_t.size == (12, 12) and batch.num_nodes == 12
    conv = GCNConv(3, 2)
    assert torch.allclose(conv(batch.x, batch.adj_t), conv(ref.x, ref.edge_index, ref.edge_weight), atol=1e-6)
    for original, back in zip(sparse, batch.to_data_list()):
        assert back.adj_t.size == original.adj_t.size
        for field in ("rowptr", "col", "value", "perm"):
            assert torch.equal(getattr(back.adj_t, field), getattr(original.adj_t, field)), field
    with pytest.raises(ValueError, match="lacks attribute"):
        Batch.from_data_list([sparse[0], graphs[1]])
