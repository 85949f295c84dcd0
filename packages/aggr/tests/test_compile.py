"""Sum-like aggregations compile with fullgraph=True (no graph break) when dim_size is given.

The aot_eager backend traces forward and backward through Dynamo and AOTAutograd (where a
graph break would fail) without the minute-long C++ build of inductor.
"""

import pytest
import torch

from geode_aggr import (
    AttentionalAggregation,
    DeepSetsAggregation,
    DegreeScalerAggregation,
    MultiAggregation,
    PowerMeanAggregation,
    SoftmaxAggregation,
    StdAggregation,
    VarAggregation,
    VariancePreservingAggregation,
)


@pytest.mark.parametrize("make", [
    VarAggregation, StdAggregation, lambda: SoftmaxAggregation(learn=True),
    lambda: PowerMeanAggregation(p=2.0), VariancePreservingAggregation,
    lambda: MultiAggregation(["sum", "mean", "max", "var", "std", "softmax"]),
    lambda: AttentionalAggregation(torch.nn.Linear(4, 1), torch.nn.Linear(4, 3)),
    lambda: DeepSetsAggregation(torch.nn.Linear(4, 4), torch.nn.Linear(4, 2)),
    lambda: DegreeScalerAggregation(["mean", "std"], ["identity", "attenuation"],
                                    torch.tensor([0, 2, 3])),
], ids=["var", "std", "softmax", "power_mean", "variance_preserving", "multi", "attentional",
        "deep_sets", "degree_scaler"])
def test_fullgraph_compile(graph, make):
    torch._dynamo.reset()
    x, index, n = graph
    x = x.float().abs() + 0.1
    aggr = make()
    compiled = torch.compile(aggr, fullgraph=True, backend="aot_eager")
    x.requires_grad_()
    out = compiled(x, index, dim_size=n)
    torch.testing.assert_close(out, aggr(x, index, dim_size=n))
    out.sum().backward()  # the backward graph is traced too
    assert torch.isfinite(x.grad).all()

