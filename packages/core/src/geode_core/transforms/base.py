"""Transform protocol and Compose."""

from __future__ import annotations

from collections.abc import Callable

from ..data import Data


class BaseTransform:
    """A callable ``Data -> Data``. Transforms modify a shallow copy, never their input."""

    def __call__(self, data: Data) -> Data:
        import copy

        return self.forward(copy.copy(data))

    def forward(self, data: Data) -> Data:
        """The transformed graph (``data`` is a shallow copy); every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Compose(BaseTransform):
    """Apply transforms in order."""

    def __init__(self, transforms: list[Callable]) -> None:
        self.transforms = list(transforms)

    def __call__(self, data: Data) -> Data:
        for t in self.transforms:
            data = t(data)
        return data

    def __repr__(self) -> str:
        inner = "".join(f"\n  {t!r}," for t in self.transforms)
        return f"Compose([{inner}\n])"
