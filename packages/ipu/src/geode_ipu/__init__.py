"""Fixed-size batching (padding, packing, masks) for static-shape hardware and compilers, and the PopTorch adapter."""

from .collater import FixedSizeCollater
from .loader import FixedSizeDataLoader
from .options import FixedSizeOptions
from .padding import pad_data_list

__version__ = "0.1.0"

__all__: list[str] = ["FixedSizeOptions", "FixedSizeDataLoader", "FixedSizeCollater", "pad_data_list"]
