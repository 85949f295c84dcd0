"""HGTConv against the attention formula written out per destination node."""

import math

import pytest
import torch
import torch.nn.functional as F

from geode_hetero import HGTConv


def _reference(conv, x_dict, ei_dict):
    heads, dim = conv.heads, conv.out_channels // conv.heads
    kqv = {t: F.linear(x, conv.kqv_lin.lins[t].weight, conv.kqv_lin.lins[t].bias).view(-1, 3, heads, dim)
           for t, x in x_dict.items()}
    out = {}
    for t in conv.node_types:
        incoming = [(i, e) for i, e in enumerate(conv.edge_types) if e[2] == t and e in ei_dict]
        if not incoming:
            continue
        agg = torch.zeros(x_dict[t].size(0), heads, dim)
        for node in range(x_dict[t].size(0)):
            scores, msgs = [], []
            for i, (s, r, d) in incoming:
                ei = ei_dict[(s, r, d)]
                for j in ei[0, ei[1] == node].tolist():
                    k = torch.einsum("hd,hde->he", kqv[s][j, 0], conv.k_rel[i])
                    scores.append((kqv[t][node, 1] * k).sum(-1) * conv.p_rel[i] / math.sqrt(dim))
                    msgs.append(torch.einsum("hd,hde->he", kqv[s][j, 2], conv.v_rel[i]))
            if scores:
                alpha = torch.softmax(torch.stack(scores), dim=0)
                agg[node] = (alpha.unsqueeze(-1) * torch.stack(msgs)).sum(0)
        lin = conv.out_lin.lins[t]
        o = F.linear(F.gelu(agg.reshape(-1, conv.out_channels)), lin.weight, lin.bias)
        if x_dict[t].size(-1) == conv.out_channels:
            beta = conv.skip[conv.node_types.index(t)].sigmoid()
            o = beta * o + (1 - beta) * x_dict[t]
        out[t] = o
    return out


@pytest.mark.parametrize("heads", [1, 2])
def test_hgt_equals_per_node_attention_formula(heads, make_hetero):
    x_dict, ei_dict, metadata = make_hetero(3, 5, seed=4, max_nodes=6, max_edges=12)
    x_dict["n0"] = torch.randn(x_dict["n0"].size(0), 4)  # this type gets the skip connection
    torch.manual_seed(0)
    conv = HGTConv(-1, 4, metadata, heads=heads)
    torch.nn.init.normal_(conv.skip)
    torch.nn.init.normal_(conv.p_rel)
    out = conv(x_dict, ei_dict)
    expected = _reference(conv, x_dict, ei_dict)
    assert set(out) == set(expected)
    for t in out:
        assert torch.allclose(out[t], expected[t], atol=1e-5), t
    sum(o.sum() for o in out.values()).backward()
    assert conv.k_rel.grad.abs().sum() > 0 and conv.skip.grad[0] != 0


def test_hgt_compiles_without_graph_breaks(make_hetero):
    x_dict, ei_dict, metadata = make_hetero(3, 4, channels=8, seed=5)
    conv = HGTConv(8, 8, metadata, heads=2)
    expected = conv(x_dict, ei_dict)
    torch._dynamo.reset()
    out = torch.compile(conv, fullgraph=True, backend="eager")(x_dict, ei_dict)
    for t in expected:
        assert torch.allclose(out[t], expected[t], atol=1e-5)


def test_hgt_rejects_indivisible_heads():
    with pytest.raises(ValueError, match="divisible by heads"):
        HGTConv(4, 6, (["a"], [("a", "r", "a")]), heads=4)
