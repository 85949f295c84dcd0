"""The CPU partitioner ``compile`` gives Inductor: no bool masks saved, results unchanged."""

import copy

import torch
from torch._functorch.partitioners import min_cut_rematerialization_partition

from geode_compile import compile
from geode_compile.partition import OPTION, CpuMaskFreePartitioner, with_partitioner
from geode_core.nn import GINConv
from geode_core.ops import Adjacency


class GinStack(torch.nn.Module):
    """Two GIN layers with ReLUs inside and between them (the masks min-cut would save)."""

    def __init__(self, channels: int = 8):
        super().__init__()
        mlp = lambda: torch.nn.Sequential(torch.nn.Linear(channels, channels), torch.nn.ReLU(),  # noqa: E731
                                          torch.nn.Linear(channels, channels))
        self.convs = torch.nn.ModuleList([GINConv(mlp()), GINConv(mlp())])

    def forward(self, x, adj):
        return self.convs[1](self.convs[0](x, adj).relu(), adj)


def _saved_dtypes(fw: torch.fx.GraphModule, num_fwd_outputs: int) -> list[torch.dtype]:
    outputs = next(n for n in fw.graph.nodes if n.op == "output").args[0]
    return [o.meta["val"].dtype for o in outputs[num_fwd_outputs:]
            if isinstance(o, torch.fx.Node) and isinstance(o.meta.get("val"), torch.Tensor)]


def test_cpu_graph_saves_no_bool_mask_and_matches_eager(monkeypatch):
    seen = []
    partition = CpuMaskFreePartitioner.__call__

    def spy(self, gm, joint_inputs, **kwargs):
        seen.append((copy.deepcopy(gm), joint_inputs, dict(kwargs)))
        return partition(self, gm, joint_inputs, **kwargs)

    monkeypatch.setattr(CpuMaskFreePartitioner, "__call__", spy)
    # a cached compiled graph (from an earlier run) would skip partitioning
    monkeypatch.setattr(torch._inductor.config, "fx_graph_cache", False)
    monkeypatch.setattr(torch._functorch.config, "enable_autograd_cache", False)
    torch.manual_seed(0)
    model = GinStack()
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(40, 8, generator=gen)
    adj = Adjacency.from_edge_index(torch.randint(0, 40, (2, 160), generator=gen), size=40)

    expected = model(x, adj)
    expected.square().sum().backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad()
    out = compile(model)(x, adj)
    out.square().sum().backward()
    torch.testing.assert_close(out, expected)
    for name, param in model.named_parameters():
        torch.testing.assert_close(param.grad, grads[name], msg=name)

    assert len(seen) == 1
    gm, joint_inputs, kwargs = seen[0]
    fw, _ = CpuMaskFreePartitioner()(copy.deepcopy(gm), joint_inputs, **kwargs)
    assert torch.bool not in _saved_dtypes(fw, kwargs["num_fwd_outputs"])
    # what the partitioner avoids: Inductor's own min-cut saves the ReLU masks as bool
    fw_min_cut, _ = min_cut_rematerialization_partition(copy.deepcopy(gm), joint_inputs, **kwargs)
    assert torch.bool in _saved_dtypes(fw_min_cut, kwargs["num_fwd_outputs"])


def test_options_only_where_inductor_takes_them():
    assert isinstance(with_partitioner(None, None)[OPTION], CpuMaskFreePartitioner)
    merged = with_partitioner("default", {"cpp.simdlen": 8})
    assert merged["cpp.simdlen"] == 8 and isinstance(merged[OPTION], CpuMaskFreePartitioner)
    assert with_partitioner("reduce-overhead", None) is None  # torch.compile: mode or options
    mine = object()
    assert with_partitioner(None, {OPTION: mine}) == {OPTION: mine}
