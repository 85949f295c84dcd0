"""Bad input gets a ValueError naming the argument, what was expected and what was given."""

import pytest
import torch

from geode_core import utils as U
from geode_core.data import Batch, Data, HeteroData


def test_validate_reports_every_problem_at_once():
    bad = Data(x=torch.zeros(3, 2), edge_index=torch.tensor([[0, 5], [1, 1]]),
               edge_weight=torch.ones(3), batch=torch.zeros(3), y=torch.zeros(3))
    with pytest.raises(ValueError) as err:
        bad.validate()
    msg = str(err.value)
    assert "(3 problems)" in msg
    assert "edge_index: expected indices in [0, 3) (num_nodes=3), given maximum 5" in msg
    assert "edge_weight: expected first dimension num_edges=2, given shape [3]" in msg
    assert "batch: expected dtype torch.int64" in msg and "given torch.float32" in msg


def test_hetero_validate_reports_every_problem_at_once():
    h = HeteroData()
    h["a"].x = torch.zeros(2, 1)
    h["a"].y = torch.zeros(3)
    h["a", "to", "b"].edge_index = torch.tensor([[0, 2], [0, 0]], dtype=torch.int32)
    with pytest.raises(ValueError) as err:
        h.validate()
    msg = str(err.value)
    assert "node type 'b' has no store" in msg
    assert "expected dtype torch.int64, given torch.int32" in msg
    assert "source indices in [0, 2) for node type 'a', given maximum 2" in msg
    assert "'a'.y: expected first dimension num_nodes=2, given shape [3]" in msg


def test_mismatched_batch_vectors():
    x = torch.zeros(4, 2)
    with pytest.raises(ValueError, match=r"to_dense_batch: batch must be an int64 vector .* "
                                         r"\(shape \[4\]\), got shape \[3\]"):
        U.to_dense_batch(x, torch.tensor([0, 0, 1]))
    with pytest.raises(ValueError, match=r"batch must be sorted"):
        U.to_dense_batch(x, torch.tensor([1, 0, 0, 1]))
    with pytest.raises(ValueError, match=r"to_dense_adj: edge_attr must have num_edges=1 rows"):
        U.to_dense_adj(torch.tensor([[0], [1]]), edge_attr=torch.ones(2))
    with pytest.raises(ValueError, match=r"knn: batch_x must have shape \[4\], got \[2\]"):
        U.knn(x, x, 2, batch_x=torch.zeros(2, dtype=torch.long))


@pytest.mark.parametrize("call, message", [
    (lambda: U.coalesce(torch.zeros(2, 3)), r"edge_index: expected dtype torch.int64, got torch.float32"),
    (lambda: U.to_undirected(torch.zeros(3, 3, dtype=torch.long)),
     r"edge_index: expected shape \[2, num_edges\], got \[3, 3\]"),
    (lambda: U.get_laplacian(torch.tensor([[0], [1]]), torch.ones(2)), r"edge_weight must have shape \[1\], got \[2\]"),
    (lambda: U.segment(torch.ones(3), torch.tensor([0.0, 3.0])), r"ptr must hold integers, got dtype torch.float32"),
    (lambda: U.negative_sampling(torch.tensor([[0], [1]]), 3, method="exact"), r"method must be 'sparse' or 'dense'"),
    (lambda: U.index_to_mask(torch.tensor([4]), 3), r"indices must lie in \[0, 3\), got range \[4, 4\]"),
    (lambda: U.scatter(torch.ones(3), torch.tensor([0, 1])), r"index has 2 entries but src has 3"),
    (lambda: U.stochastic_blockmodel_graph([2, 2], [[0.5]]), r"edge_probs must be \[2, 2\].*got \[1, 1\]"),
])
def test_utils_name_argument_expected_and_given(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_batch_of_mixed_graphs_is_refused():
    with pytest.raises(ValueError, match=r"graph 1 is a Data; expected HeteroData"):
        Batch.from_data_list([HeteroData(), Data()])
    with pytest.raises(ValueError, match="data_list is empty"):
        Batch.from_data_list([])
