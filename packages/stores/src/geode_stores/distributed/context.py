"""``DistContext``: this process's place in a torch.distributed job, read from torchrun."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import torch.distributed as dist

__all__ = ["DistContext"]

REQUIRED = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")


@dataclass
class DistContext:
    """Rank, world size and rendezvous address of one process.

    ``DistContext.from_env()`` reads what ``torchrun`` sets (``RANK``, ``WORLD_SIZE``,
    ``LOCAL_RANK``, ``MASTER_ADDR``, ``MASTER_PORT``); :meth:`init_process_group` joins the
    job with a timeout, so a rank that dies or hangs makes the others fail with an error
    instead of waiting forever.
    """

    rank: int
    world_size: int
    master_addr: str = "127.0.0.1"
    master_port: int = 29500
    local_rank: int = 0
    backend: str = "gloo"

    def __post_init__(self) -> None:
        if self.world_size < 1 or not 0 <= self.rank < self.world_size:
            raise ValueError(f"rank: expected 0 <= rank < world_size={self.world_size}, "
                             f"given {self.rank}")

    @classmethod
    def from_env(cls, backend: str = "gloo") -> DistContext:
        missing = [name for name in REQUIRED if name not in os.environ]
        if missing:
            raise RuntimeError(f"DistContext.from_env: environment variables {missing} are not "
                               f"set; launch the script with torchrun (e.g. `torchrun "
                               f"--nproc-per-node 2 script.py`)")
        return cls(rank=int(os.environ["RANK"]), world_size=int(os.environ["WORLD_SIZE"]),
                   master_addr=os.environ["MASTER_ADDR"], master_port=int(os.environ["MASTER_PORT"]),
                   local_rank=int(os.environ.get("LOCAL_RANK", 0)), backend=backend)

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def init_process_group(self, timeout: float = 60.0) -> DistContext:
        """Join the process group (``timeout`` seconds for rendezvous and every collective)."""
        if not dist.is_initialized():
            dist.init_process_group(self.backend, init_method=f"tcp://{self.master_addr}:"
                                    f"{self.master_port}", rank=self.rank,
                                    world_size=self.world_size, timeout=timedelta(seconds=timeout))
        return self

    def destroy(self) -> None:
        if dist.is_initialized():
            dist.destroy_process_group()

    def __enter__(self) -> DistContext:
        return self.init_process_group()

    def __exit__(self, *exc) -> None:
        self.destroy()
