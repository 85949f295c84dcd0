"""The hot-node cache: answers equal the backing store's, statistics count hits and misses."""

import pytest
import torch

from geode_core.data import InMemoryFeatureStore
from geode_stores import CachedFeatureStore


class CountingStore(InMemoryFeatureStore):
    """Counts the rows read from the backing store."""

    def __init__(self):
        super().__init__()
        self.rows_read = 0

    def _get_tensor(self, attr):
        out = super()._get_tensor(attr)
        self.rows_read += out.size(0) if out is not None and out.dim() else 0
        return out


def _store(num_rows=100):
    backing = CountingStore()
    backing.put_tensor(torch.arange(num_rows * 4, dtype=torch.float32).view(num_rows, 4), "n", "x")
    return backing


def test_cached_reads_equal_backing_reads_and_count_hits():
    backing = _store()
    cache = CachedFeatureStore(backing, capacity=10)
    x = backing.get_tensor("n", "x")
    backing.rows_read = 0
    first = cache.get_tensor("n", "x", torch.tensor([1, 2, 3, 2]))
    assert torch.equal(first, x[[1, 2, 3, 2]])
    assert (cache.stats.hits, cache.stats.misses) == (0, 4) and backing.rows_read == 3
    again = cache.get_tensor("n", "x", torch.tensor([3, 1, 50]))
    assert torch.equal(again, x[[3, 1, 50]])
    assert (cache.stats.hits, cache.stats.misses) == (2, 5) and backing.rows_read == 4
    assert cache.stats.hit_rate == pytest.approx(2 / 7)


def test_eviction_is_bounded_and_warmed_rows_stay():
    backing = _store()
    x = backing.get_tensor("n", "x")
    cache = CachedFeatureStore(backing, capacity=6)
    cache.warm(torch.tensor([0, 1]), "n", "x")
    g = torch.Generator().manual_seed(0)
    for _ in range(20):
        ids = torch.randint(100, (8,), generator=g)
        assert torch.equal(cache.get_tensor("n", "x", ids), x[ids])
    cache.reset_stats()
    assert torch.equal(cache.get_tensor("n", "x", torch.tensor([0, 1])), x[[0, 1]])
    assert cache.stats.hits == 2
    slots = cache._caches[("n", "x")].slot_of
    assert int((slots >= 0).sum()) <= 6


def test_skewed_access_hits_more_with_a_warm_hot_set():
    backing = _store(1000)
    g = torch.Generator().manual_seed(1)
    hot = torch.arange(50)
    cold = CachedFeatureStore(backing, capacity=50)
    warm = CachedFeatureStore(backing, capacity=50)
    warm.warm(hot, "n", "x")
    for _ in range(30):  # 80 % of reads go to the 50 hot rows
        ids = torch.where(torch.rand(64, generator=g) < 0.8, torch.randint(50, (64,), generator=g),
                          torch.randint(1000, (64,), generator=g))
        assert torch.equal(cold.get_tensor("n", "x", ids), warm.get_tensor("n", "x", ids))
    assert warm.stats.hit_rate > 0.75 and warm.stats.hit_rate > cold.stats.hit_rate


def test_writes_invalidate_cached_rows():
    backing = _store()
    cache = CachedFeatureStore(backing, capacity=10)
    cache.get_tensor("n", "x", torch.tensor([5]))
    cache.put_tensor(torch.zeros(1, 4), "n", "x", torch.tensor([5]))
    assert cache.get_tensor("n", "x", torch.tensor([5])).abs().sum() == 0
    with pytest.raises(ValueError, match="capacity"):
        CachedFeatureStore(backing, capacity=-1)
