import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # for sampler_checks


@pytest.fixture
def graph():
    # Includes isolated nodes (ids >= 40 have no edges) and parallel edges are possible.
    ei = torch.randint(0, 40, (2, 300), generator=torch.Generator().manual_seed(1))
    return ei, 50
