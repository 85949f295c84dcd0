import pytest
import torch

from geode_core.nn import PNAConv


def test_pna_conv_dense(graph):
    pytest.importorskip("geode_aggr")
    x, ei = graph
    deg_hist = torch.tensor([0, 3, 3])
    conv = PNAConv(4, 4, ["mean", "max"], ["identity", "linear"], deg_hist, towers=2,
                   divide_input=True).double()
    avg_deg = 1.5  # mean in-degree of the histogram
    xt = x.view(6, 2, 2)
    agg = torch.zeros(6, 2, 8, dtype=x.dtype)
    for i in range(6):
        sel = (ei[1] == i).nonzero().view(-1)
        for t in range(2):
            m = conv.pre_nns[t](torch.cat([xt[ei[1, sel], t], xt[ei[0, sel], t]], -1))
            parts = [m.mean(0), m.amax(0)]
            d = float(sel.numel())
            agg[i, t] = torch.cat([*parts, *(p * d / avg_deg for p in parts)])
    h = torch.cat([xt, agg], -1)
    out = torch.cat([conv.post_nns[t](h[:, t]) for t in range(2)], -1)
    assert torch.allclose(conv(x, ei), conv.lin(out))


def test_pna_without_geode_aggr_names_it(fresh_registry):
    with pytest.raises(ImportError, match="geode-aggr"):
        PNAConv(4, 4, ["mean"], ["identity"], torch.tensor([1, 2]))


def test_pna_tower_checks():
    with pytest.raises(ValueError, match="divisible"):
        PNAConv(4, 5, ["mean"], ["identity"], torch.tensor([1, 2]), towers=2)


def test_degree_histogram():
    from geode_core.data import Data

    graphs = [Data(edge_index=torch.tensor([[0, 1, 2], [1, 2, 1]]), num_nodes=3),
              Data(edge_index=torch.tensor([[0], [1]]), num_nodes=4)]
    # in-degrees: [0, 2, 1] and [0, 1, 0, 0]
    assert PNAConv.get_degree_histogram(graphs).tolist() == [4, 2, 1]
