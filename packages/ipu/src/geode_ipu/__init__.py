"""Fixed-size batching (padding, packing, masks) for static-shape hardware and compilers, and the PopTorch adapter.

Nothing here imports PopTorch until :func:`training_model`/:func:`inference_model` or
``IPUOptions.to_poptorch`` is called.
"""

from .collater import FixedSizeCollater
from .flat_batch import BatchLayout, CombinedBatch, combine_batches, flatten_batch
from .graph_padding import pad_data, pad_hetero_data
from .loader import FixedSizeDataLoader
from .losses import masked_accuracy, masked_cross_entropy, masked_targets
from .options import FixedSizeOptions
from .packing import StreamPackBatchSampler
from .padding import pad_data_list
from .poptorch_adapter import (
    IPUOptions,
    LossInForward,
    inference_model,
    mini_batches_per_step,
    poptorch_available,
    training_model,
)
from .static import StaticShapeError, set_aggregation_dim_size, static_shapes

__version__ = "0.1.0"

__all__: list[str] = [
    "FixedSizeOptions", "FixedSizeDataLoader", "FixedSizeCollater", "StreamPackBatchSampler",
    "pad_data_list", "pad_data", "pad_hetero_data",
    "static_shapes", "StaticShapeError", "set_aggregation_dim_size",
    "masked_cross_entropy", "masked_accuracy", "masked_targets",
    "IPUOptions", "LossInForward", "training_model", "inference_model", "mini_batches_per_step",
    "poptorch_available", "flatten_batch", "combine_batches", "BatchLayout", "CombinedBatch",
]
