"""geode_core.data (filled by the data-layer work)."""

__all__: list[str] = []
