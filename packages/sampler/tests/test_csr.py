import pytest
import torch

from geode_sampler import to_csc, to_csr


def test_csc_lists_incoming_neighbours_with_permutation():
    ei = torch.tensor([[0, 1, 2, 3, 0, 2], [1, 2, 3, 0, 2, 2]])
    g = to_csc(ei, 5)
    assert g.rowptr.tolist() == [0, 1, 2, 5, 6, 6]
    for v in range(5):
        srcs = g.col[g.rowptr[v]:g.rowptr[v + 1]]
        eids = g.e_id[g.rowptr[v]:g.rowptr[v + 1]]
        expected = [(int(ei[0, e]), e) for e in range(ei.size(1)) if int(ei[1, e]) == v]
        assert list(zip(srcs.tolist(), eids.tolist())) == expected
    assert g.degree().tolist() == [1, 1, 3, 1, 0]


def test_csr_lists_outgoing_neighbours():
    ei = torch.tensor([[0, 1, 2, 3, 0], [1, 2, 3, 0, 2]])
    g = to_csr(ei)
    assert g.num_nodes == 4 and g.by == "src"
    assert g.rowptr.tolist() == [0, 2, 3, 4, 5]
    assert g.col.tolist() == [1, 2, 2, 3, 0]
    assert torch.equal(ei[1, g.e_id], g.col)


def test_empty_graph():
    g = to_csc(torch.empty(2, 0, dtype=torch.long), 3)
    assert g.rowptr.tolist() == [0, 0, 0, 0] and g.num_edges == 0


@pytest.mark.parametrize(
    "ei, n, err",
    [
        (torch.tensor([[0, 5], [1, 1]]), 3, ValueError),
        (torch.tensor([[0, -1], [1, 1]]), 3, ValueError),
        (torch.tensor([0, 1]), 3, ValueError),
        (torch.tensor([[0.0], [1.0]]), 3, TypeError),
    ],
)
def test_bad_input(ei, n, err):
    with pytest.raises(err, match="edge_index"):
        to_csc(ei, n)
