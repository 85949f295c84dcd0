import pytest
import torch

from geode_core.nn import JumpingKnowledge


def test_jk_modes():
    xs = [torch.randn(5, 3) for _ in range(3)]
    assert torch.equal(JumpingKnowledge("cat")(xs), torch.cat(xs, -1))
    assert torch.equal(JumpingKnowledge("max")(xs), torch.stack(xs).amax(0))
    jk = JumpingKnowledge("lstm", channels=3, num_layers=3)
    stacked = torch.stack(xs, 1)
    alpha = torch.softmax(jk.att(jk.lstm(stacked)[0]).squeeze(-1), -1)
    assert torch.allclose(jk(xs), (stacked * alpha.unsqueeze(-1)).sum(1), atol=1e-6)
    with pytest.raises(ValueError, match="channels and num_layers"):
        JumpingKnowledge("lstm")
    with pytest.raises(ValueError, match="mode"):
        JumpingKnowledge("sum")
