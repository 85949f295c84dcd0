import math

import pytest
import torch

from geode_core.nn import SAGPooling, TopKPooling
from geode_core.nn.pool import topk


def test_topk_selection_per_graph():
    score = torch.tensor([0.1, 0.9, 0.5, 0.3, 0.8, 0.2, 0.7])
    batch = torch.tensor([0, 0, 0, 1, 1, 1, 1])
    assert topk(score, 0.5, batch).tolist() == [1, 2, 4, 6]
    assert topk(score, 1, batch).tolist() == [1, 4]
    assert topk(score, None, batch, min_score=0.6).tolist() == [1, 4, 6]
    with pytest.raises(ValueError, match="ratio"):
        topk(score, 1.5, batch)


def test_topk_pooling_against_manual_selection():
    torch.manual_seed(0)
    x = torch.randn(6, 3)
    ei = torch.tensor([[0, 1, 2, 3, 4, 5], [1, 2, 0, 4, 5, 3]])
    batch = torch.tensor([0, 0, 0, 1, 1, 1])
    pool = TopKPooling(3, ratio=0.5)
    raw = (x * pool.weight).sum(-1) / pool.weight.norm()
    score = torch.tanh(raw)
    keep = []
    for g in (0, 1):
        idx = (batch == g).nonzero().view(-1)
        keep += idx[score[idx].argsort(descending=True)[: math.ceil(0.5 * 3)]].tolist()
    out, new_ei, _, new_batch, perm, s = pool(x, ei, batch=batch)
    assert perm.tolist() == keep
    assert torch.allclose(out, x[perm] * score[perm].view(-1, 1))
    kept = set(keep)
    expected_edges = [(keep.index(a), keep.index(b)) for a, b in ei.t().tolist() if a in kept and b in kept]
    assert [tuple(e) for e in new_ei.t().tolist()] == expected_edges
    assert new_batch.tolist() == batch[perm].tolist() and torch.allclose(s, score[perm])


def test_sag_pooling_uses_its_gnn():
    torch.manual_seed(0)
    x = torch.randn(5, 3)
    ei = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 4]])
    pool = SAGPooling(3, ratio=2, min_score=None)
    score = torch.tanh(pool.gnn(x, ei).view(-1))
    out, _, _, _, perm, _ = pool(x, ei)
    assert perm.tolist() == score.argsort(descending=True)[:2].tolist()
    assert torch.allclose(out, x[perm] * score[perm].view(-1, 1))
