"""HeteroLinear and HeteroDictLinear against loops of torch.nn.Linear."""

import pytest
import torch

from geode_core.ops import use_kernel
from geode_hetero import HeteroDictLinear, HeteroLinear

KERNELS = [("type_loop", "reference"), ("sorted", "reference"), ("sorted", "padded")]


@pytest.mark.parametrize("num_types", [1, 2, 7, 20])
@pytest.mark.parametrize(("kernel", "segment_kernel"), KERNELS)
def test_hetero_linear_equals_loop_of_linear(num_types, kernel, segment_kernel):
    torch.manual_seed(num_types)
    lin = HeteroLinear(5, 3, num_types)
    type_vec = torch.randint(0, num_types, (60,))
    x = torch.randn(60, 5, requires_grad=True)
    with use_kernel("hetero_linear", kernel), use_kernel("segment_matmul", segment_kernel):
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


@pytest.mark.parametrize("kernel", ["type_loop", "sorted"])
def test_hetero_linear_sorted_input_and_errors(kernel):
    lin = HeteroLinear(4, 2, 4, is_sorted=True, bias=False)
    type_vec = torch.tensor([0, 0, 1, 3, 3, 3])  # type 2 has no rows
    x = torch.randn(6, 4, requires_grad=True)
    expected = torch.cat([x[:2] @ lin.weight[0], x[2:3] @ lin.weight[1], x[3:] @ lin.weight[3]])
    with use_kernel("hetero_linear", kernel):
        out = lin(x, type_vec)
    assert torch.allclose(out, expected, atol=1e-6)
    grads = torch.autograd.grad(out.sum(), (x, lin.weight))
    assert all(torch.allclose(g, r, atol=1e-6)
               for g, r in zip(grads, torch.autograd.grad(expected.sum(), (x, lin.weight))))
    lin = HeteroLinear(4, 2, 3)
    with pytest.raises(ValueError, match=r"type_vec must lie in \[0, 3\)"):
        lin(x, torch.tensor([0, 0, 1, 2, 2, 3]))
    with pytest.raises(ValueError, match=r"x must be \[N, 4\]"):
        lin(torch.randn(6, 5), type_vec)
    with pytest.raises(ValueError, match=r"type_vec must be \[6\]"):
        lin(x, type_vec[:5])


def test_loop_kernel_op_gradients_in_float64():
    from geode_hetero.typed_linear_kernels import typed_linear_loop, typed_linear_loop_op

    torch.manual_seed(0)
    x = torch.randn(9, 3, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(3, 3, 2, dtype=torch.float64, requires_grad=True)
    bias = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    type_vec = torch.tensor([2, 0, 0, 1, 2, 2, 0, 1, 0])
    assert torch.autograd.gradcheck(lambda x, w, b: typed_linear_loop(x, type_vec, w, b, False),
                                    (x, weight, bias))
    for is_sorted, types in ((False, type_vec), (True, type_vec.sort().values)):
        torch.library.opcheck(typed_linear_loop_op, (x, types, weight, bias, is_sorted))


def test_kernel_choice_follows_the_measured_crossover():
    from geode_core.ops.dispatch import choose
    from geode_hetero.typed_linear_kernels import LOOP_MAX_TYPES

    names = [choose("hetero_linear", "cpu", torch.float32, size=n).name
             for n in (1, LOOP_MAX_TYPES, LOOP_MAX_TYPES + 1, 1000)]
    assert names == ["type_loop", "type_loop", "sorted", "sorted"]


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


@pytest.mark.parametrize("num_types", [4, 40])  # one per hetero_linear kernel
def test_typed_linear_layers_compile_without_graph_breaks(num_types):
    torch.manual_seed(0)
    lin = HeteroLinear(5, 3, num_types)
    x, type_vec = torch.randn(30, 5), torch.randint(0, num_types, (30,))
    dict_lin = HeteroDictLinear(5, 3, types=["a", "b"])
    x_dict = {"a": torch.randn(4, 5), "b": torch.randn(6, 5)}
    torch._dynamo.reset()
    out = torch.compile(lin, fullgraph=True, backend="eager")(x, type_vec)
    assert torch.allclose(out, lin(x, type_vec), atol=1e-6)
    compiled = torch.compile(dict_lin, fullgraph=True, backend="eager")(x_dict)
    assert all(torch.allclose(compiled[t], dict_lin(x_dict)[t], atol=1e-6) for t in x_dict)
