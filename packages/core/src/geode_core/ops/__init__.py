"""Graph ops as torch.library custom ops in the ``geode`` namespace, and kernel choice."""

__all__: list[str] = []
