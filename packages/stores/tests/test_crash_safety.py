"""A writer killed mid-write leaves the previous complete state, or a clear refusal."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import torch

import geode_stores
from geode_stores import MemmapFeatureStore, StoreCorruptedError

#: backend -> (class name, writer keyword arguments, reader keyword arguments)
BACKENDS = {
    "memmap": ("MemmapFeatureStore", {}, {"mode": "r"}),
    "rocksdb": ("RocksDBFeatureStore", {"chunk_rows": 4}, {"read_only": True}),
}


def _run_writer(code: str, marker, timeout=30.0):
    """Start a writer, wait until it reports being mid-ingest, then SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"writer exited early with code {proc.returncode}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("writer never reached the middle of its ingest")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=timeout)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_writer_killed_mid_ingest_leaves_previous_tensor(tmp_path, backend):
    if backend == "rocksdb":
        pytest.importorskip("rocksdict")
    name, rw, ro = BACKENDS[backend]
    cls = getattr(geode_stores, name)
    path, marker = tmp_path / "store", tmp_path / "mid-ingest"
    old = torch.arange(40, dtype=torch.float32).view(20, 2)
    store = cls(path, **rw)
    store.put_tensor(old, "n", "x")
    store.close()
    code = textwrap.dedent(f"""
        import pathlib, time, torch
        from geode_stores import {name}
        store = {name}(pathlib.Path({str(path)!r}), **{rw!r})

        def chunks():
            for i in range(1000):
                yield torch.full((8, 2), -1.0)
                if i == 3:
                    pathlib.Path({str(marker)!r}).touch()
                    time.sleep(60)

        store.ingest(chunks(), "n", "x")
        store.ingest(chunks(), "n", "new")
    """)
    _run_writer(code, marker)
    reopened = cls(path, **ro)
    assert torch.equal(reopened.get_tensor("n", "x"), old)
    assert [a.key for a in reopened.get_all_tensor_attrs()] == [("n", "x")]
    reopened.close()
    writable = cls(path, **rw)  # a writable open cleans up what the killed writer left
    writable.put_tensor(torch.ones(3, 2), "n", "x")
    assert torch.equal(writable.get_tensor("n", "x"), torch.ones(3, 2))
    writable.close()


def test_memmap_writer_killed_mid_row_write_refuses_that_tensor(tmp_path):
    path = tmp_path / "store"
    store = MemmapFeatureStore(path)
    store.put_tensor(torch.zeros(10, 3), "n", "x")
    store.put_tensor(torch.arange(5), "n", "y")
    store.close()
    code = textwrap.dedent(f"""
        import os, torch
        from geode_stores import memmap
        memmap._Mapped.flush = lambda self: os._exit(0)   # die after the rows, before the flag
        store = memmap.MemmapFeatureStore({str(path)!r})
        store.put_tensor(torch.ones(2, 3), "n", "x", torch.tensor([1, 7]))
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    reopened = MemmapFeatureStore(path, mode="r")
    with pytest.raises(StoreCorruptedError, match=r"tensor \(\'n\', \'x\'\) was being written"):
        reopened.get_tensor("n", "x", [0])
    assert torch.equal(reopened.get_tensor("n", "y"), torch.arange(5))  # others still served
    repaired = MemmapFeatureStore(path)
    repaired.put_tensor(torch.full((10, 3), 2.0), "n", "x")
    assert repaired.get_tensor("n", "x").eq(2).all()


def test_damaged_manifest_is_a_clear_error(tmp_path):
    path = tmp_path / "store"
    MemmapFeatureStore(path).put_tensor(torch.zeros(2), "n", "x")
    (path / "meta.json").write_text('{"format": "geode-memmap')
    with pytest.raises(RuntimeError, match="damaged"):
        MemmapFeatureStore(path, mode="r")
    with pytest.raises(FileNotFoundError, match="not found"):
        MemmapFeatureStore(tmp_path / "absent", mode="r")
    assert os.path.exists(path)
