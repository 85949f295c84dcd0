import torch

from geode_core.nn import global_add_pool, global_max_pool, global_mean_pool


def test_global_pools_against_loops():
    torch.manual_seed(0)
    x = torch.randn(7, 3)
    batch = torch.tensor([0, 0, 1, 1, 1, 3, 3])
    for fn, red in ((global_add_pool, lambda t: t.sum(0)), (global_mean_pool, lambda t: t.mean(0)),
                    (global_max_pool, lambda t: t.amax(0))):
        out = fn(x, batch, size=4)
        assert out.shape == (4, 3)
        for g in (0, 1, 3):
            assert torch.allclose(out[g], red(x[batch == g]))
        assert torch.all(out[2] == 0)  # an empty graph pools to zero
        assert torch.allclose(fn(x, None), red(x).unsqueeze(0))
        assert torch.allclose(fn(x, batch), out[: int(batch.max()) + 1])
