"""Graph builders shared by geode-ipu's tests."""

import os
from pathlib import Path

import torch

from geode_core.data import Data

REPO_ROOT = Path(__file__).resolve().parents[3]
#: the shared raw datasets (``GEODE_DATASETS`` or ``../shared/datasets`` beside the checkout)
DATASETS = Path(os.environ.get("GEODE_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))


def random_graph(num_nodes: int, num_edges: int, generator: torch.Generator, features: int = 3,
                 label: int | None = None) -> Data:
    """A graph with ``num_nodes`` nodes, ``num_edges`` random edges, x, edge_attr and graph y."""
    ei = torch.randint(0, max(num_nodes, 1), (2, num_edges), generator=generator)
    y = torch.tensor([label if label is not None else num_nodes % 3])
    return Data(x=torch.randn(num_nodes, features, generator=generator), edge_index=ei,
                edge_attr=torch.randn(num_edges, 2, generator=generator), y=y)
