"""Ready-made models: MLP, the BasicGNN stacks and JumpingKnowledge."""

from .basic_gnn import BasicGNN
from .gnns import GAT, GCN, GIN, PNA, EdgeCNN, GraphSAGE
from .jumping_knowledge import JumpingKnowledge
from .mlp import MLP

__all__ = ["MLP", "BasicGNN", "GCN", "GraphSAGE", "GIN", "GAT", "PNA", "EdgeCNN", "JumpingKnowledge"]
