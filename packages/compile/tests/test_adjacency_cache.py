"""A compiled layer reuses what an Adjacency derives from its graph instead of rebuilding it."""

import torch

from geode_core.nn import GCNConv
from geode_core.ops import Adjacency


def test_compiled_gcn_builds_its_normalised_graph_once():
    torch.manual_seed(0)
    num_nodes = 60
    edge_index = torch.randint(0, num_nodes, (2, 300))
    x = torch.randn(num_nodes, 8)
    conv = GCNConv(8, 4)
    expected = conv(x, Adjacency.from_edge_index(edge_index, size=num_nodes))

    graphs = []

    def backend(gm, example_inputs):
        graphs.append(any("sort" in str(node.target) for node in gm.graph.nodes))
        return gm.forward

    adj = Adjacency.from_edge_index(edge_index, size=num_nodes)
    compiled = torch.compile(conv, backend=backend, fullgraph=True)
    for _ in range(4):
        torch.testing.assert_close(compiled(x, adj), expected)
    # the first graph sorts the self-loop-augmented edges and stores the result on `adj`;
    # the second reads it; no further compilation and no further sort
    assert graphs == [True, False]
    assert len(adj._derived) == 1
