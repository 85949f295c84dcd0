"""Shared pieces of the attention layers (GAT, GATv2): self-loops and per-head aggregation."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from geode_core.ops import Adjacency, edge_softmax, spmm
from geode_core.utils.scatter import scatter

from ..message_passing import MessagePassing
from ._utils import append_self_loops, raw_graph


def loop_edge_attr(edge_attr: Tensor, dst: Tensor, n: int, fill_value, owner: str) -> Tensor:
    """Edge features of appended self-loops: ``"mean"`` (incoming mean), a number or a tensor."""
    if isinstance(fill_value, str) and fill_value in ("mean", "add", "sum", "max", "min", "mul"):
        return scatter(edge_attr, dst, dim=0, dim_size=n, reduce=fill_value)
    if isinstance(fill_value, (int, float)):
        return edge_attr.new_full((n, *edge_attr.shape[1:]), float(fill_value))
    if isinstance(fill_value, Tensor):
        return fill_value.to(edge_attr).expand(n, *edge_attr.shape[1:])
    raise ValueError(f"{owner}: fill_value must be a reduction name ('mean', ...), a number or "
                     f"a tensor, got {fill_value!r}")


class HeadAttention(MessagePassing):
    """Base of layers that aggregate ``alpha_ij * x_j`` per head ([N, heads, channels]).

    The aggregation runs per head as a CSR SpMM with the attention weights as edge values
    (``fused = True``); the per-edge path multiplies the messages instead.
    """

    fused = True

    def attention_graph(self, edge_index, edge_attr: Tensor | None, num_src: int, num_dst: int,
                        add_self_loops: bool, fill_value):
        """``(adj, edge_attr, loop_mask)``: the graph with one appended loop per node if asked.

        Loops already present stay in the graph but are masked (``loop_mask`` True) so the
        layer gives them zero attention; the appended loop carries the node's self-attention.
        """
        raw, _, given = raw_graph(edge_index, self.flow)
        if not add_self_loops:
            adj = given if given is not None else Adjacency.cached(raw, None, (num_src, num_dst))
            return adj, edge_attr, None
        n = min(num_src, num_dst)
        looped, loop_mask = append_self_loops(raw, n)
        if edge_attr is not None:
            loops = loop_edge_attr(edge_attr, raw[1], n, fill_value, type(self).__name__)
            edge_attr = torch.cat([edge_attr, loops], dim=0)
        base = given
        if base is None and not torch.compiler.is_compiling():
            base = Adjacency.cached(raw, None, (num_src, num_dst))
        build = lambda: Adjacency.from_edge_index(looped, None, (num_src, num_dst))  # noqa: E731
        adj = base.derived(("attention-loops", n), build) if base is not None else build()
        return adj, edge_attr, loop_mask

    def attend(self, adj: Adjacency, logits: Tensor, loop_mask: Tensor | None, x: tuple,
               root: Tensor | None, return_attention_weights: bool | None):
        """Softmax ``logits`` [E, heads] per destination, aggregate, combine heads, add the
        residual of ``root`` and the bias; returns ``out`` or ``(out, (edge_index, alpha))``."""
        if loop_mask is not None:
            logits = logits.masked_fill(loop_mask.view(-1, 1), float("-inf"))
        alpha = F.dropout(edge_softmax(logits, adj), p=self.dropout, training=self.training)
        out = self.propagate(adj, x=x, alpha=alpha)
        out = out.reshape(out.size(0), -1) if self.concat else out.mean(dim=1)
        if self.res is not None and root is not None:
            out = out + self.res(root)
        if self.bias is not None:
            out = out + self.bias
        if return_attention_weights:
            return out, (adj.edge_index, alpha)
        return out

    def message(self, x_j: Tensor, alpha: Tensor) -> Tensor:
        return x_j * alpha.unsqueeze(-1)

    def message_and_aggregate(self, adj: Adjacency, x, alpha: Tensor) -> Tensor:
        x_src = x[0] if isinstance(x, (tuple, list)) else x
        value = alpha.index_select(0, adj.perm)
        heads = [spmm(adj, x_src[:, h], reduce=self.fused_reduce, value=value[:, h])
                 for h in range(alpha.size(1))]
        return torch.stack(heads, dim=1)
