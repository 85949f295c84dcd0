"""Neural-network modules: message passing, convolutions, models, pooling and norms."""

from . import aggr as aggr

__all__: list[str] = []
