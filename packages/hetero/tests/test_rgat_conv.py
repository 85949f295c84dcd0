"""RGATConv against attention over typed edges written out per destination node."""

import pytest
import torch
import torch.nn.functional as F

from geode_hetero import RGATConv
from geode_hetero.relation_weights import dense_relation_weights


def _reference(conv, x, edge_index, edge_type):
    H, C, D = conv.heads, conv.out_channels, conv.dim
    weights = dense_relation_weights(conv)
    out = torch.zeros(x.size(0), H, C)
    for i in range(x.size(0)):
        edges = (edge_index[1] == i).nonzero().view(-1).tolist()
        if not edges:
            continue
        logits, msgs, groups = [], [], []
        for e in edges:
            j, r = int(edge_index[0, e]), int(edge_type[e])
            g_j, g_i = x[j] @ weights[r], x[i] @ weights[r]
            q, k = (g_i @ conv.q).view(H, D), (g_j @ conv.k).view(H, D)
            logit = F.leaky_relu(q + k, 0.2).sum(-1) if conv.attention_mode.startswith("additive") \
                else (q * k).sum(-1)
            logits.append(logit)
            msgs.append(g_j.view(H, C))
            groups.append(r if conv.attention_mechanism == "within-relation" else 0)
        logits, msgs, groups = torch.stack(logits), torch.stack(msgs), torch.tensor(groups)
        for group in groups.unique():
            mask = groups == group
            alpha = torch.softmax(logits[mask], dim=0)
            out[i] += (alpha.unsqueeze(-1) * msgs[mask]).sum(0)
    out = out.reshape(x.size(0), H * C) if conv.concat else out.mean(1)
    return out + conv.bias


@pytest.mark.parametrize("mechanism", ["across-relation", "within-relation"])
@pytest.mark.parametrize("mode", ["additive-self-attention", "multiplicative-self-attention"])
@pytest.mark.parametrize("decomposition", [{}, {"num_bases": 2}])
def test_rgat_equals_per_node_attention(mechanism, mode, decomposition):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(7, 4, generator=g)
    edge_index = torch.randint(0, 7, (2, 25), generator=g)
    edge_type = torch.randint(0, 3, (25,), generator=g)
    torch.manual_seed(0)
    conv = RGATConv(4, 3, num_relations=3, heads=2, dim=2, attention_mechanism=mechanism,
                    attention_mode=mode, concat=mode.startswith("additive"), **decomposition)
    torch.nn.init.normal_(conv.bias)
    out = conv(x, edge_index, edge_type)
    assert torch.allclose(out, _reference(conv, x, edge_index, edge_type), atol=1e-5)
    out.sum().backward()
    assert all(p.grad is not None for p in conv.parameters())


def test_rgat_rejects_bad_arguments():
    with pytest.raises(ValueError, match="attention_mechanism must be one of"):
        RGATConv(4, 3, 2, attention_mechanism="global")
    with pytest.raises(ValueError, match="attention_mode must be one of"):
        RGATConv(4, 3, 2, attention_mode="dot")
    conv = RGATConv(4, 3, 2)
    with pytest.raises(ValueError, match=r"edge_type must lie in \[0, 2\)"):
        conv(torch.randn(3, 4), torch.tensor([[0, 1], [1, 2]]), torch.tensor([0, 2]))
