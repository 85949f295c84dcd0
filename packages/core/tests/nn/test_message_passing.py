"""MessagePassing contract: _i/_j lifting, size, fused vs per-edge, explain mask, aggr names."""

import pytest
import torch

from geode_core.nn import MessagePassing, SAGEConv
from geode_core.ops import Adjacency


class DiffConv(MessagePassing):
    def __init__(self):
        super().__init__(aggr="sum")

    def forward(self, x, edge_index, edge_attr, size=None):
        return self.propagate(edge_index, x=x, edge_attr=edge_attr, size=size)

    def message(self, x_i, x_j, edge_attr, index, size_i):
        assert index.numel() == x_j.size(0) and isinstance(size_i, int)
        return (x_j - x_i) * edge_attr.view(-1, 1)


def test_i_j_lifting_and_edge_args():
    x = torch.randn(4, 2, dtype=torch.float64)
    ei = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 1]])
    w = torch.rand(4, dtype=torch.float64)
    out = DiffConv()(x, ei, w)
    ref = torch.zeros_like(x)
    for k in range(4):
        ref[ei[1, k]] += (x[ei[0, k]] - x[ei[1, k]]) * w[k]
    assert torch.allclose(out, ref)
    assert torch.allclose(DiffConv()(x, Adjacency.from_edge_index(ei, size=4), w), ref)


def test_explicit_size_and_bipartite_tuple():
    x_src, x_dst = torch.randn(5, 2), torch.randn(7, 2)
    ei = torch.tensor([[0, 4], [6, 6]])
    out = DiffConv()((x_src, x_dst), ei, torch.ones(2), size=(5, 7))
    assert out.shape == (7, 2)
    assert torch.allclose(out[6], x_src[0] + x_src[4] - 2 * x_dst[6])


def test_fused_path_equals_per_edge_path():
    torch.manual_seed(0)
    x = torch.randn(6, 3)
    ei = torch.randint(0, 6, (2, 20))
    conv = SAGEConv(3, 2, aggr="mean")
    fused = conv(x, ei)
    conv._edge_mask = torch.ones(20)  # the explain hook forces the per-edge path
    assert torch.allclose(conv(x, ei), fused, atol=1e-6)


def test_edge_mask_multiplies_messages():
    x = torch.ones(3, 1)
    ei = torch.tensor([[0, 1], [2, 2]])
    conv = SAGEConv(1, 1, aggr="sum", root_weight=False, bias=False)
    torch.nn.init.ones_(conv.lin_l.weight)
    conv._edge_mask = torch.tensor([0.0, 0.5])
    assert conv(x, ei)[2].item() == pytest.approx(0.5)
    conv._edge_mask = torch.ones(5)
    with pytest.raises(ValueError, match="_edge_mask"):
        conv(x, ei)


def test_edge_mask_over_input_edges_fits_layers_that_add_self_loops():
    from geode_core.nn.conv import GCNConv

    torch.manual_seed(0)
    x = torch.randn(4, 3)
    ei = torch.tensor([[0, 1, 2, 3, 1], [1, 2, 3, 0, 0]])
    conv = GCNConv(3, 2)
    conv._edge_mask = torch.tensor([1.0, 1.0, 0.0, 1.0, 1.0])
    masked = conv(x, ei)
    conv._edge_mask = None
    # dense reference: drop edge 2->3 from the message sum, keep the normalisation and loops
    a_hat = torch.eye(4)
    a_hat[ei[1], ei[0]] = 1.0
    deg = a_hat.sum(1)
    norm = deg.rsqrt().view(-1, 1) * a_hat * deg.rsqrt().view(1, -1)
    norm[3, 2] = 0.0
    expected = norm @ conv.lin(x) + conv.bias
    assert torch.allclose(masked, expected, atol=1e-5)


def test_aggr_by_name_and_errors():
    assert type(SAGEConv(2, 2, aggr="max").aggr_module).__name__ == "MaxAggregation"
    with pytest.raises(LookupError, match="no aggregation named"):
        SAGEConv(2, 2, aggr="does-not-exist")
    with pytest.raises(ValueError, match="flow"):
        MessagePassing(flow="sideways")
