"""Dataset base classes: raw files -> process() -> processed files -> Data objects."""

from __future__ import annotations

import copy
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import torch
from torch import Tensor
from tqdm.auto import tqdm

from ..data import Data

#: format marker stored in every processed file
FORMAT_VERSION = 1


def _as_list(names: str | Sequence[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file handle on a temporary file beside ``path``, moved into place with
    ``os.replace`` when the block succeeds and deleted when it fails, so ``path`` never
    holds a partial file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_save(obj: Any, path: str | os.PathLike) -> None:
    """``torch.save`` through :func:`atomic_write`."""
    with atomic_write(path) as fh:
        torch.save(obj, fh)


def safe_load(path: str | os.PathLike) -> Any:
    """Load a processed file without executing code (``weights_only=True``)."""
    return torch.load(path, map_location="cpu", weights_only=True)


def data_to_dict(data: Data) -> dict[str, Any]:
    return {key: value for key, value in data}


def dict_to_data(d: dict[str, Any]) -> Data:
    data = Data()
    data._store.update(d)
    return data


class Dataset(torch.utils.data.Dataset):
    """Base class: subclasses name their raw/processed files and implement process().

    ``transform`` runs on every access; ``pre_transform`` and ``pre_filter`` run once, while
    processing. A changed ``pre_transform``/``pre_filter`` (by ``repr``) triggers re-processing.
    """

    #: where the raw files can be obtained (used in the missing-file error message)
    source: str | None = None

    def __init__(self, root: str | os.PathLike | None = None, transform: Callable | None = None,
                 pre_transform: Callable | None = None, pre_filter: Callable | None = None,
                 log: bool = True, force_reload: bool = False) -> None:
        super().__init__()
        self.root = None if root is None else os.fspath(Path(root).expanduser())
        self.transform = transform
        self.pre_transform = pre_transform
        self.pre_filter = pre_filter
        self.log = log
        self._indices: Sequence[int] | None = None
        self.force_reload = force_reload
        if self.root is not None and not self._processed_ok():
            self._check_raw()
            self._run_process()

    # --- to override ---------------------------------------------------------------------
    @property
    def raw_file_names(self) -> str | list[str]:
        return []

    @property
    def processed_file_names(self) -> str | list[str]:
        return []

    def download(self) -> None:
        """Fetch the raw files into :attr:`raw_dir`. Subclasses with a canonical URL override
        this; the default has nowhere to fetch from and reports the missing files."""
        raise FileNotFoundError(self._missing_message())

    def process(self) -> None:
        """Turn the raw files into the processed ones; a dataset with processed files defines it."""
        raise NotImplementedError(f"{type(self).__name__} must implement process()")

    def len(self) -> int:
        """The number of graphs; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must implement len()")

    def get(self, idx: int) -> Data:
        """Graph ``idx`` (before ``transform``); every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must implement get()")

    # --- paths and processing ------------------------------------------------------------
    @property
    def raw_dir(self) -> str:
        return os.path.join(self.root, "raw")

    @property
    def processed_dir(self) -> str:
        return os.path.join(self.root, "processed")

    @property
    def raw_paths(self) -> list[str]:
        return [os.path.join(self.raw_dir, f) for f in _as_list(self.raw_file_names)]

    @property
    def processed_paths(self) -> list[str]:
        return [os.path.join(self.processed_dir, f) for f in _as_list(self.processed_file_names)]

    def _meta(self) -> dict[str, str]:
        return {"format": str(FORMAT_VERSION), "pre_transform": repr(self.pre_transform),
                "pre_filter": repr(self.pre_filter)}

    @property
    def _meta_path(self) -> str:
        return os.path.join(self.processed_dir, "pre_transform.pt")

    def _processed_ok(self) -> bool:
        if self.force_reload:
            return False
        paths = self.processed_paths
        if not paths or not all(os.path.exists(p) for p in paths):
            return False
        if not os.path.exists(self._meta_path):
            return False
        stored = safe_load(self._meta_path)
        if stored != self._meta():
            warnings.warn(f"{type(self).__name__}: the processed files in {self.processed_dir} were "
                          f"made with pre_transform={stored.get('pre_transform')}, "
                          f"pre_filter={stored.get('pre_filter')}; re-processing with "
                          f"pre_transform={self._meta()['pre_transform']}, "
                          f"pre_filter={self._meta()['pre_filter']}", stacklevel=3)
            return False
        return True

    def _missing_files(self) -> list[str]:
        return [f for f in _as_list(self.raw_file_names)
                if not os.path.exists(os.path.join(self.raw_dir, f))]

    def _missing_message(self, reason: BaseException | None = None) -> str:
        why = f" Downloading them failed ({reason})." if reason is not None else ""
        hint = f" They are available from {self.source}." if self.source else ""
        return (f"{type(self).__name__}: raw file(s) missing: {', '.join(self._missing_files())}."
                f"{why} Put these files in {self.raw_dir}.{hint}")

    def _check_raw(self) -> None:
        if self._missing_files():
            os.makedirs(self.raw_dir, exist_ok=True)
            try:
                self.download()
            except OSError as err:
                if isinstance(err, FileNotFoundError) and not err.filename:
                    raise
                raise FileNotFoundError(self._missing_message(err)) from err
            if self._missing_files():
                raise FileNotFoundError(self._missing_message())

    def _run_process(self) -> None:
        os.makedirs(self.processed_dir, exist_ok=True)
        if self.log:
            print(f"Processing {type(self).__name__} into {self.processed_dir}", file=sys.stderr)
        self.process()
        atomic_save(self._meta(), self._meta_path)

    def progress(self, iterable: Iterable, desc: str, total: int | None = None) -> Iterable:
        """``iterable`` wrapped in a tqdm progress bar, shown only when ``log`` is True."""
        return tqdm(iterable, desc=f"{type(self).__name__}: {desc}", total=total,
                    disable=not self.log, leave=False)

    # --- indexing ----------------------------------------------------------------------
    def indices(self) -> Sequence[int]:
        return range(self.len()) if self._indices is None else self._indices

    def __len__(self) -> int:
        return len(self.indices())

    def __getitem__(self, idx):
        if isinstance(idx, (int,)) or (isinstance(idx, Tensor) and idx.dim() == 0) or \
                type(idx).__name__ in ("int64", "int32"):
            n = len(self)
            i = int(idx)
            if i < 0:
                i += n
            if not 0 <= i < n:
                raise IndexError(f"{type(self).__name__}: index {int(idx)} out of range for "
                                 f"length {n}")
            data = self.get(self.indices()[i])
            return data if self.transform is None else self.transform(data)
        return self.index_select(idx)

    def index_select(self, idx) -> Dataset:
        """A view selecting ``idx`` (slice, index list/tensor or bool mask)."""
        indices = self.indices()
        if isinstance(idx, slice):
            chosen = list(indices[idx])
        elif isinstance(idx, Tensor) and idx.dtype == torch.bool:
            if idx.numel() != len(indices):
                raise IndexError(f"{type(self).__name__}: bool mask has {idx.numel()} entries, "
                                 f"expected {len(indices)}")
            chosen = [indices[i] for i in idx.nonzero().view(-1).tolist()]
        else:
            if isinstance(idx, Tensor):
                idx = idx.tolist()
            chosen = [indices[int(i)] for i in idx]
        out = copy.copy(self)
        out._indices = chosen
        return out

    def shuffle(self, return_perm: bool = False):
        perm = torch.randperm(len(self))
        out = self.index_select(perm)
        return (out, perm) if return_perm else out

    # --- summary ---------------------------------------------------------------------
    @property
    def num_node_features(self) -> int:
        return self[0].num_node_features

    @property
    def num_features(self) -> int:
        return self.num_node_features

    @property
    def num_edge_features(self) -> int:
        return self[0].num_edge_features

    @property
    def num_classes(self) -> int:
        ys = [self.get(i).get("y") for i in self.indices()]
        ys = [y for y in ys if isinstance(y, Tensor)]
        if not ys:
            return 0
        y = torch.cat([v.view(-1) if v.dim() <= 1 else v for v in ys])
        if y.is_floating_point() and y.dim() > 1:
            return int(y.size(-1))
        return int(y.max()) + 1 if y.numel() else 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)})"


class InMemoryDataset(Dataset):
    """A dataset whose graphs all fit in memory; ``process()`` calls :meth:`save`."""

    def __init__(self, root=None, transform=None, pre_transform=None, pre_filter=None,
                 log: bool = True, force_reload: bool = False) -> None:
        self._data_list: list[Data] = []
        super().__init__(root, transform, pre_transform, pre_filter, log, force_reload)
        if self.root is not None and self.processed_paths:
            self.load(self.processed_paths[0])

    @staticmethod
    def save(data_list: Sequence[Data], path: str | os.PathLike) -> None:
        """Write graphs as plain dicts of tensors (loadable with ``weights_only=True``)."""
        atomic_save({"format": FORMAT_VERSION, "graphs": [data_to_dict(d) for d in data_list]},
                    path)

    def load(self, path: str | os.PathLike) -> None:
        obj = safe_load(path)
        if not isinstance(obj, dict) or obj.get("format") != FORMAT_VERSION:
            raise ValueError(f"{type(self).__name__}: {path} is not a Geode processed file of "
                             f"format {FORMAT_VERSION}; delete it to re-process")
        self._data_list = [dict_to_data(d) for d in obj["graphs"]]

    def process_data_list(self, data_list: list[Data]) -> list[Data]:
        """Apply ``pre_filter`` and ``pre_transform`` (helper for subclasses' process())."""
        if self.pre_filter is not None:
            data_list = [d for d in data_list if self.pre_filter(d)]
        if self.pre_transform is not None:
            data_list = [self.pre_transform(d)
                         for d in self.progress(data_list, "pre_transform", len(data_list))]
        return data_list

    def len(self) -> int:
        return len(self._data_list)

    def get(self, idx: int) -> Data:
        """A shallow copy of graph ``idx``: setting attributes on it leaves the dataset
        untouched, but tensors are shared, so edit them out of place (as in PyG)."""
        return copy.copy(self._data_list[idx])
