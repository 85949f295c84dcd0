"""All-to-all exchange of variable-length tensors over torch.distributed, with clear errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.distributed as dist
from torch import Tensor

__all__ = ["DistributedError", "all_to_all", "split_by_owner"]


class DistributedError(RuntimeError):
    """A collective failed: a peer rank exited, crashed or did not answer in time."""


def _collective(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except RuntimeError as error:  # gloo/NCCL report peers that vanish or time out this way
        rank = dist.get_rank() if dist.is_initialized() else "?"
        raise DistributedError(
            f"rank {rank}: {what} failed: another rank exited, crashed or did not answer within "
            f"the process group's timeout (set by DistContext.init_process_group(timeout=...)). "
            f"Cause: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
        ) from error


def all_to_all(send: list[Tensor], what: str = "all-to-all exchange") -> list[Tensor]:
    """Send ``send[r]`` (1-D, one dtype, any lengths) to rank ``r``; return what each sent us."""
    world = dist.get_world_size()
    if len(send) != world:
        raise ValueError(f"send: expected one tensor per rank ({world}), given {len(send)}")
    dtype = send[0].dtype
    counts = torch.tensor([t.numel() for t in send], dtype=torch.long)
    recv_counts = torch.empty_like(counts)
    _collective(what, dist.all_to_all_single, recv_counts, counts)
    out = torch.empty(int(recv_counts.sum()), dtype=dtype)
    _collective(what, dist.all_to_all_single, out, torch.cat([t.reshape(-1) for t in send]),
                output_split_sizes=recv_counts.tolist(), input_split_sizes=counts.tolist())
    return list(out.split(recv_counts.tolist()))


def split_by_owner(ids: Tensor, owner: Tensor, world: int) -> tuple[list[Tensor], Tensor]:
    """Group ``ids`` by owner rank: the groups and the permutation that sorted them."""
    order = torch.argsort(owner, stable=True)
    counts = torch.bincount(owner, minlength=world).tolist()
    return list(ids[order].split(counts)), order


def all_reduce_max(value: int, what: str) -> int:
    t = torch.tensor([value], dtype=torch.long)
    _collective(what, dist.all_reduce, t, op=dist.ReduceOp.MAX)
    return int(t)
