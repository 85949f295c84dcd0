import pytest
import torch

from geode_core.nn import ChebConv
from geode_core.utils import to_undirected


def _laplacian(a, normalization, lam):
    a = a - torch.diag(a.diagonal())  # existing self-loops are ignored
    deg = a.sum(1)
    eye = torch.eye(a.size(0), dtype=a.dtype)
    if normalization is None:
        lap = torch.diag(deg) - a
    elif normalization == "sym":
        d = deg.pow(-0.5).masked_fill(deg == 0, 0)
        lap = eye - d[:, None] * a * d[None, :]
    else:
        lap = eye - a / deg.clamp(min=1)[:, None]
    return 2.0 * lap / lam - eye


@pytest.mark.parametrize("normalization,lam", [("sym", None), ("rw", 1.5), (None, 5.0)])
def test_cheb_conv_dense(graph, dense, normalization, lam):
    x, ei = graph
    ei, _ = to_undirected(ei)
    conv = ChebConv(4, 3, K=3, normalization=normalization).double()
    lap = _laplacian(dense(ei, 6, 6), normalization, 2.0 if lam is None else lam)
    t = [x, lap @ x]
    t.append(2 * lap @ t[1] - t[0])
    expected = sum(tk @ lin.weight.T for tk, lin in zip(t, conv.lins)) + conv.bias
    assert torch.allclose(conv(x, ei, lambda_max=lam), expected)


def test_cheb_conv_lambda_per_graph_and_errors(graph, dense):
    x, ei = graph
    ei, _ = to_undirected(ei)
    conv = ChebConv(4, 2, K=2).double()
    batch = torch.zeros(6, dtype=torch.long)
    out = conv(x, ei, batch=batch, lambda_max=torch.tensor([1.5, 1.5], dtype=torch.float64)[:1].repeat(2))
    with pytest.raises(ValueError, match="needs batch"):
        conv(x, ei, lambda_max=torch.tensor([1.0, 2.0]))
    assert torch.allclose(out, conv(x, ei, lambda_max=1.5))
    with pytest.raises(ValueError, match="lambda_max is required"):
        ChebConv(4, 2, K=2, normalization=None)(x, ei)
    with pytest.raises(ValueError, match="K must be"):
        ChebConv(4, 2, K=0)
