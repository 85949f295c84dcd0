import torch

from geode_core.nn import DirGNNConv, GraphConv


def test_dir_gnn_conv_dense(graph, dense, apply_lin):
    x, ei = graph
    conv = DirGNNConv(GraphConv(4, 3), alpha=0.3).double()
    a = dense(ei, 6, 6)

    def graph_conv(c, adj):
        return apply_lin(c.lin_rel, adj @ x) + x @ c.lin_root.weight.T

    expected = 0.3 * graph_conv(conv.conv_out, a.T) + 0.7 * graph_conv(conv.conv_in, a) \
        + apply_lin(conv.lin, x)
    assert torch.allclose(conv(x, ei), expected)
    assert not torch.equal(conv.conv_in.lin_rel.weight, conv.conv_out.lin_rel.weight)
