"""HeteroLinear and HeteroDictLinear against loops of torch.nn.Linear."""

import pytest
import torch

from geode_core.ops import use_kernel
from geode_hetero import HeteroDictLinear, HeteroLinear


@pytest.mark.parametrize("num_types", [1, 2, 7, 20])
@pytest.mark.parametrize("kernel", ["reference", "padded"])
def test_hetero_linear_equals_loop_of_linear(num_types, kernel):
    torch.manual_seed(num_types)
    lin = HeteroLinear(5, 3, num_types)
    type_vec = torch.randint(0, num_types, (60,))
    x = torch.randn(60, 5, requires_grad=True)
    with use_kernel("segment_matmul", kernel):
        out = lin(x, type_vec)
        out.square().sum().backward()
    expected = torch.empty(60, 3)
    for t in range(num_types):
        mask = type_vec == t
        expected[mask] = x[mask] @ lin.weight[t] + lin.bias[t]
    assert torch.allclose(out, expected, atol=1e-5)
    present = type_vec.unique()
    assert torch.all(lin.weight.grad[present].abs().sum((1, 2)) > 0)  # every present type learns
    ref_x = x.detach().clone().requires_grad_()
    (torch.bmm(ref_x.unsqueeze(1), lin.weight[type_vec]).squeeze(1) + lin.bias[type_vec]).square().sum().backward()
    assert torch.allclose(x.grad, ref_x.grad, atol=1e-4)


def test_hetero_linear_sorted_input_and_errors():
    lin = HeteroLinear(4, 2, 3, is_sorted=True, bias=False)
    type_vec = torch.tensor([0, 0, 1, 2, 2, 2])
    x = torch.randn(6, 4)
    expected = torch.cat([x[:2] @ lin.weight[0], x[2:3] @ lin.weight[1], x[3:] @ lin.weight[2]])
    assert torch.allclose(lin(x, type_vec), expected, atol=1e-6)
    with pytest.raises(ValueError, match=r"type_vec must lie in \[0, 3\)"):
        lin(x, torch.tensor([0, 0, 1, 2, 2, 3]))
    with pytest.raises(ValueError, match=r"x must be \[N, 4\]"):
        lin(torch.randn(6, 5), type_vec)
    with pytest.raises(ValueError, match=r"type_vec must be \[6\]"):
        lin(x, type_vec[:5])


def test_hetero_dict_linear_equals_per_type_linear_with_lazy_sizes():
    torch.manual_seed(0)
    lin = HeteroDictLinear(-1, 4, types=["a", "b", "c"])
    x_dict = {"a": torch.randn(3, 2), "b": torch.randn(5, 7)}  # "c" absent from this input
    out = lin(x_dict)
    assert set(out) == {"a", "b"}
    for t in out:
        ref = torch.nn.functional.linear(x_dict[t], lin.lins[t].weight, lin.lins[t].bias)
        assert torch.allclose(out[t], ref, atol=1e-6)
    sum(o.sum() for o in out.values()).backward()
    assert lin.lins["a"].weight.grad is not None and lin.lins["b"].weight.grad is not None


def test_hetero_dict_linear_with_dict_channels_and_errors():
    lin = HeteroDictLinear({"u": 3, ("u", "r", "v"): 2}, 5, bias=False)
    out = lin({"u": torch.randn(4, 3), ("u", "r", "v"): torch.randn(2, 2)})
    assert out["u"].shape == (4, 5) and out[("u", "r", "v")].shape == (2, 5)
    with pytest.raises(ValueError, match="pass types"):
        HeteroDictLinear(3, 5)
    with pytest.raises(ValueError, match=r"no entry for types \['w'\]"):
        HeteroDictLinear({"u": 3}, 5, types=["u", "w"])
