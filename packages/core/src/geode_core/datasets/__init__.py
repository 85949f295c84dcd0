"""geode_core.datasets (filled by the data-layer work)."""

__all__: list[str] = []
