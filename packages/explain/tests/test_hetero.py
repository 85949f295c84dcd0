"""Heterogeneous models: a hand-written model with one Geode conv per edge type, keyed
``"src__rel__dst"`` in a ModuleDict (the layout of to_hetero and HeteroConv)."""

from __future__ import annotations

import pytest
import torch

from geode_core.nn.conv import SAGEConv
from geode_explain import Explainer, GNNExplainer, HeteroExplanation, IntegratedGradients, Saliency
from geode_explain.masks import set_hetero_masks

BUYS, REV = ("user", "buys", "item"), ("item", "rev_buys", "user")


class HeteroModel(torch.nn.Module):
    """Two rounds of user <-> item message passing, then a classifier on users."""

    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList([
            torch.nn.ModuleDict({"user__buys__item": SAGEConv((3, 2), 4, aggr="sum"),
                                 "item__rev_buys__user": SAGEConv((2, 3), 4, aggr="sum")}),
            torch.nn.ModuleDict({"item__rev_buys__user": SAGEConv((4, 4), 4, aggr="sum")}),
        ])
        self.lin = torch.nn.Linear(4, 3)

    def forward(self, x, edge_index):
        first, second = self.layers
        item = first["user__buys__item"]((x["user"], x["item"]), edge_index[BUYS]).relu()
        user = first["item__rev_buys__user"]((x["item"], x["user"]), edge_index[REV]).relu()
        user = second["item__rev_buys__user"]((item, user), edge_index[REV])
        return self.lin(user)


@pytest.fixture
def hetero():
    torch.manual_seed(0)
    x = {"user": torch.randn(4, 3), "item": torch.randn(5, 2)}
    buys = torch.tensor([[0, 0, 1, 2, 3, 3], [0, 1, 1, 2, 3, 4]])
    return HeteroModel().eval(), x, {BUYS: buys, REV: buys.flip(0)}


CONFIG = dict(mode="multiclass_classification", task_level="node")


@pytest.mark.parametrize("algorithm", [GNNExplainer(epochs=5, log=False), Saliency(),
                                       IntegratedGradients(n_steps=4)], ids=lambda a: type(a).__name__)
def test_hetero_masks_per_type(hetero, algorithm):
    model, x, edge_index = hetero
    explainer = Explainer(model, algorithm, "model", CONFIG, node_mask_type="attributes",
                          edge_mask_type="object")
    explanation = explainer(x, edge_index, index=torch.tensor([1]))
    assert isinstance(explanation, HeteroExplanation)
    assert {k: tuple(v.shape) for k, v in explanation.node_mask_dict.items()} == {"user": (4, 3), "item": (5, 2)}
    assert {k: tuple(v.shape) for k, v in explanation.edge_mask_dict.items()} == {BUYS: (6,), REV: (6,)}
    assert explanation.validate_masks()


def test_hetero_saliency_follows_the_computation_graph(hetero):
    model, x, edge_index = hetero
    explainer = Explainer(model, Saliency(), "model", CONFIG, node_mask_type="object",
                          edge_mask_type="object")
    e = explainer(x, edge_index, index=torch.tensor([1]))
    # user 1 hears item 1 (rev_buys 1 -> 1) in the last layer, and item 1 heard users 0 and 1
    # (buys edges into item 1) in the first: no other edge, user 3 or item 4 is involved.
    rev_used = edge_index[REV][1] == 1
    assert (e[REV].edge_mask[rev_used] > 0).all() and (e[REV].edge_mask[~rev_used] == 0).all()
    buys_used = edge_index[BUYS][1] == 1
    assert (e[BUYS].edge_mask[buys_used] > 0).all() and (e[BUYS].edge_mask[~buys_used] == 0).all()
    assert e["user"].node_mask[3].item() == 0 and e["item"].node_mask[4].item() == 0


def test_hetero_masks_need_typed_layers():
    plain = torch.nn.Sequential(SAGEConv(3, 3))
    with pytest.raises(ValueError, match="no MessagePassing layer under a ModuleDict key"):
        set_hetero_masks(plain, {BUYS: torch.ones(6)})


def test_homogeneous_only_algorithms_reject_dicts(hetero):
    from geode_explain import GraphMaskExplainer

    model, x, edge_index = hetero
    explainer = Explainer(model, GraphMaskExplainer(num_layers=3, epochs=1, log=False), "model", CONFIG,
                          edge_mask_type="object")
    with pytest.raises(ValueError, match="does not support heterogeneous inputs"):
        explainer(x, edge_index, index=torch.tensor([1]))
