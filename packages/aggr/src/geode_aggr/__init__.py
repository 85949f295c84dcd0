"""Advanced aggregations (softmax, power-mean, median, LSTM, set transformers, multi-aggregation, ...) registered by name for every Geode layer."""

from .attentional import AttentionalAggregation
from .deep_sets import DeepSetsAggregation
from .degree_scaler import DegreeScalerAggregation
from .equilibrium import EquilibriumAggregation
from .graph_multiset_transformer import GraphMultisetTransformer
from .lcm import LCMAggregation
from .mlp import MLPAggregation
from .multi import MultiAggregation
from .patch_transformer import PatchTransformerAggregation
from .power_mean import PowerMeanAggregation
from .quantile import MedianAggregation, QuantileAggregation
from .recurrent import GRUAggregation, LSTMAggregation
from .set2set import Set2Set
from .set_transformer import SetTransformerAggregation
from .softmax import SoftmaxAggregation
from .sort import SortAggregation
from .variance import StdAggregation, VarAggregation
from .variance_preserving import VariancePreservingAggregation

__version__ = "0.1.0"

__all__: list[str] = [
    "MultiAggregation",
    "VarAggregation", "StdAggregation",
    "SoftmaxAggregation", "PowerMeanAggregation",
    "MedianAggregation", "QuantileAggregation",
    "DegreeScalerAggregation", "SortAggregation", "AttentionalAggregation",
    "LSTMAggregation", "GRUAggregation", "Set2Set",
    "DeepSetsAggregation", "MLPAggregation", "VariancePreservingAggregation",
    "SetTransformerAggregation", "GraphMultisetTransformer", "EquilibriumAggregation",
    "LCMAggregation", "PatchTransformerAggregation",
]
