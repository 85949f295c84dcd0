"""Start ranks on this machine the way ``torchrun`` does, and join them with a time limit.

For tests, benchmarks and single-machine experiments; across machines use ``torchrun``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence

from .exchange import DistributedError


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_local(args_of_rank: Callable[[int], Sequence[str]], world_size: int,
                 timeout: float = 60.0) -> None:
    """Run ``python *args_of_rank(rank)`` for every rank with torchrun's environment variables
    (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR``, ``MASTER_PORT``; one intra-op
    thread each) and wait for all of them.

    Raises :class:`DistributedError` naming the rank when one exits with an error (with the end
    of its stderr) or when the ranks are not done within ``timeout`` seconds (all are killed).
    """
    if world_size < 1:
        raise ValueError(f"launch_local: world_size must be >= 1, got {world_size}")
    port = free_port()
    procs = []
    for rank in range(world_size):
        env = dict(os.environ, RANK=str(rank), WORLD_SIZE=str(world_size), LOCAL_RANK=str(rank),
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), OMP_NUM_THREADS="1")
        procs.append(subprocess.Popen([sys.executable, *args_of_rank(rank)], env=env,
                                      stderr=subprocess.PIPE, text=True))
    errors = []
    for rank, proc in enumerate(procs):
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise DistributedError(f"launch_local: rank {rank} did not finish within {timeout} s") from None
        if proc.returncode != 0:
            errors.append(f"rank {rank} exited with {proc.returncode}:\n{err[-3000:]}")
    if errors:
        raise DistributedError("\n".join(errors))
