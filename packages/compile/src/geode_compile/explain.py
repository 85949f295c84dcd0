"""``explain``: how many graphs a model compiles into, and where and why it breaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch


@dataclass(frozen=True)
class GraphBreak:
    """One graph break: dynamo's reason and the user source line that caused it."""

    reason: str
    filename: str | None
    lineno: int | None

    @property
    def location(self) -> str:
        """``file:line`` of the user code that broke the graph (``"<unknown>"`` if none)."""
        if self.filename is None:
            return "<unknown>"
        return f"{self.filename}:{self.lineno}"

    @property
    def summary(self) -> str:
        """The first line of the reason."""
        return self.reason.strip().splitlines()[0] if self.reason.strip() else ""


@dataclass(frozen=True)
class ExplainReport:
    """What :func:`explain` found."""

    graph_count: int
    graph_break_count: int
    breaks: list[GraphBreak] = field(default_factory=list)
    op_count: int = 0

    def __str__(self) -> str:
        lines = [
            f"graphs: {self.graph_count}, graph breaks: {self.graph_break_count}, ops: {self.op_count}"
        ]
        for i, brk in enumerate(self.breaks, 1):
            lines.append(f"  break {i} at {brk.location}: {brk.summary}")
        if not self.breaks:
            lines.append("  no graph breaks: the model compiles as one graph")
        return "\n".join(lines)


def _user_frame(stack) -> tuple[str | None, int | None]:
    if not stack:
        return None, None
    frame = stack[-1]
    return frame.filename, frame.lineno


def explain(model: Any, *inputs: Any, **kwargs: Any) -> ExplainReport:
    """Trace ``model(*inputs, **kwargs)`` with dynamo and report graphs and graph breaks.

    The model runs once (so give it real inputs); nothing is kept compiled for later calls.
    The report lists every break's reason and its ``file:line``.
    """
    target = getattr(model, "original", model)  # a geode CompiledModule: explain its model
    out = torch._dynamo.explain(target)(*inputs, **kwargs)
    breaks = []
    for reason in out.break_reasons:
        filename, lineno = _user_frame(getattr(reason, "user_stack", None))
        breaks.append(GraphBreak(str(reason.reason), filename, lineno))
    return ExplainReport(
        graph_count=int(out.graph_count),
        graph_break_count=int(out.graph_break_count),
        breaks=breaks,
        op_count=int(getattr(out, "op_count", 0) or 0),
    )
