"""geode_core.loader (filled by the data-layer work)."""

__all__: list[str] = []
