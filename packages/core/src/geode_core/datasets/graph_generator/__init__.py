"""Random base graphs for synthetic benchmarks (explainability datasets)."""

from .ba_graph import BAGraph
from .base import GraphGenerator
from .er_graph import ERGraph
from .grid_graph import GridGraph

__all__ = ["GraphGenerator", "BAGraph", "ERGraph", "GridGraph"]
