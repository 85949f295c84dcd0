"""Advanced aggregations (softmax, power-mean, median, LSTM, set transformers, multi-aggregation, ...) registered by name for every Geode layer."""

__version__ = "0.1.0"

__all__: list[str] = []
