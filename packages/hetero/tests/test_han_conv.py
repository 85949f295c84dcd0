"""HANConv against node- and semantic-level attention written out per node."""

import pytest
import torch
import torch.nn.functional as F

from geode_hetero import HANConv
from geode_hetero.keys import type_key


def _reference(conv, x_dict, ei_dict):
    heads, dim = conv.heads, conv.out_channels // conv.heads
    h = {t: F.linear(x, conv.proj.lins[t].weight, conv.proj.lins[t].bias).view(-1, heads, dim)
         for t, x in x_dict.items()}
    outs = {t: [] for t in conv.node_types}
    for e in conv.edge_types:
        s, _, d = e
        ei = ei_dict[e]
        out = torch.zeros(h[d].size(0), heads, dim)
        for i in range(h[d].size(0)):
            srcs = ei[0, ei[1] == i]
            if srcs.numel():
                logits = F.leaky_relu((h[s][srcs] * conv.att_src[type_key(e)]).sum(-1)
                                      + (h[d][i] * conv.att_dst[type_key(e)]).sum(-1), 0.2)
                out[i] = (torch.softmax(logits, 0).unsqueeze(-1) * h[s][srcs]).sum(0)
        outs[d].append(out.reshape(-1, conv.out_channels).relu())
    result = {}
    for t, lst in outs.items():
        if not lst:
            result[t] = None
            continue
        scores = torch.stack([(conv.q * torch.tanh(conv.k_lin(o)).mean(0)).sum() for o in lst])
        beta = torch.softmax(scores, 0)
        result[t] = sum(b * o for b, o in zip(beta, lst))
    return result


@pytest.mark.parametrize("heads", [1, 2])
def test_han_equals_written_out_attention(heads, make_hetero):
    x_dict, ei_dict, metadata = make_hetero(3, 6, seed=9, max_nodes=7)
    metadata[0].append("lonely")  # a node type no edge type reaches
    x_dict["lonely"] = torch.randn(2, 3)
    torch.manual_seed(0)
    conv = HANConv(-1, 4, metadata, heads=heads)
    out, beta = conv(x_dict, ei_dict, return_semantic_attention_weights=True)
    expected = _reference(conv, x_dict, ei_dict)
    assert out["lonely"] is None and expected["lonely"] is None
    for t in metadata[0][:3]:
        assert torch.allclose(out[t], expected[t], atol=1e-5), t
        assert torch.allclose(beta[t].sum(), torch.tensor(1.0))
    sum(o.sum() for o in out.values() if o is not None).backward()
    assert conv.q.grad is not None and conv.k_lin.weight.grad is not None


def test_han_rejects_indivisible_heads():
    with pytest.raises(ValueError, match="divisible by heads"):
        HANConv(4, 6, (["a"], [("a", "r", "a")]), heads=4)
