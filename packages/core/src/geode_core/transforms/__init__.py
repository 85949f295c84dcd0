"""geode_core.transforms (filled by the data-layer work)."""

__all__: list[str] = []
