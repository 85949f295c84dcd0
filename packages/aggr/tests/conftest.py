import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # for aggr_reference

from aggr_reference import ptr_from, segments  # noqa: F401


@pytest.fixture
def graph():
    """12 messages, 5 destinations: destination 3 empty, destination 4 single."""
    torch.manual_seed(0)
    index = torch.tensor([0, 2, 1, 0, 2, 2, 1, 0, 4, 1, 2, 0])
    x = torch.randn(12, 4, dtype=torch.float64)
    return x, index, 5


@pytest.fixture
def sorted_graph():
    torch.manual_seed(1)
    index = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2, 2, 4])
    x = torch.randn(10, 3)
    return x, index, 5
