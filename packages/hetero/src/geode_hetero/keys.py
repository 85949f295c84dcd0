"""Node and edge types as module-dict keys."""

from __future__ import annotations


def type_key(node_or_edge_type) -> str:
    """``"author"`` stays; ``("author", "writes", "paper")`` becomes ``"author__writes__paper"``."""
    if isinstance(node_or_edge_type, tuple):
        return "__".join(node_or_edge_type)
    return node_or_edge_type
