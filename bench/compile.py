"""Eager vs compiled vs CUDA-graph training steps: Geode and PyG side by side.

The seed workload (random graph, 10,000 nodes, 200,000 edges, 64 channels, 3 layers) for
GCN, GraphSAGE (mean) and GIN. For each library and mode it times forward, backward and
their total per step (medians over interleaved repeats, with the interquartile range), the
time to the first step (compile time included), and on CUDA a whole training step
(forward, backward, Adam) replayed from a CUDA graph: Geode through
``geode.compile.StaticStepRunner``, PyG through ``torch.compile(mode="reduce-overhead")``.
Geode models receive the graph as an :class:`~geode_core.ops.Adjacency` built once (its
documented use); PyG models receive ``edge_index``.

Usage: python bench/compile.py [--device cuda] [--large] [--quick] [--models gcn sage gin]
Writes bench/results/compile-<device>[-large].json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import time
from collections.abc import Callable

import torch

RESULTS = pathlib.Path(__file__).parent / "results"


# -- models ------------------------------------------------------------------------------
class Stack(torch.nn.Module):
    """``num_layers`` convolutions with ReLU between them (none after the last)."""

    def __init__(self, convs: list[torch.nn.Module]):
        super().__init__()
        self.convs = torch.nn.ModuleList(convs)

    def forward(self, x, graph):
        for i, conv in enumerate(self.convs):
            x = conv(x, graph)
            if i < len(self.convs) - 1:
                x = x.relu()
        return x


def _mlp(c: int) -> torch.nn.Module:
    return torch.nn.Sequential(torch.nn.Linear(c, c), torch.nn.ReLU(), torch.nn.Linear(c, c))


def geode_model(kind: str, channels: int, layers: int) -> torch.nn.Module:
    from geode_core.nn import GCNConv, GINConv, SAGEConv

    make = {"gcn": lambda: GCNConv(channels, channels),
            "sage": lambda: SAGEConv(channels, channels, aggr="mean"),
            "gin": lambda: GINConv(_mlp(channels))}[kind]
    return Stack([make() for _ in range(layers)])


def pyg_model(kind: str, channels: int, layers: int) -> torch.nn.Module:
    from torch_geometric.nn import GCNConv, GINConv, SAGEConv

    make = {"gcn": lambda: GCNConv(channels, channels),
            "sage": lambda: SAGEConv(channels, channels, aggr="mean"),
            "gin": lambda: GINConv(_mlp(channels))}[kind]
    return Stack([make() for _ in range(layers)])


# -- timing ------------------------------------------------------------------------------
class Clock:
    """Wall-clock intervals, synchronised with the device when it is CUDA."""

    def __init__(self, device: torch.device):
        self.cuda = device.type == "cuda"

    def now(self) -> float:
        if self.cuda:
            torch.cuda.synchronize()
        return time.perf_counter()


def loss_of(out: torch.Tensor) -> torch.Tensor:
    return out.float().square().mean()


def summary(samples: list[float]) -> dict:
    ms = sorted(s * 1e3 for s in samples)
    q = statistics.quantiles(ms, n=4) if len(ms) >= 4 else [ms[0], ms[len(ms) // 2], ms[-1]]
    return {"median_ms": statistics.median(ms), "iqr_ms": q[2] - q[0], "n": len(ms)}


class Case:
    """One library x model x mode: a forward/backward pair, timed step by step."""

    def __init__(self, name: str, model: torch.nn.Module, call: Callable, inputs: tuple,
                 clock: Clock, step: Callable | None = None, mark_step: bool = False):
        self.name, self.model, self.call, self.inputs, self.clock = name, model, call, inputs, clock
        self.step = step
        self.mark_step = mark_step  # CUDA-graph trees: each call starts a new step
        self.fwd: list[float] = []
        self.bwd: list[float] = []
        self.full: list[float] = []
        self.first_step_s = float("nan")

    def warm(self, steps: int) -> None:
        t0 = self.clock.now()
        self.run_once(record=False)
        self.first_step_s = self.clock.now() - t0
        for _ in range(steps - 1):
            self.run_once(record=False)

    def run_once(self, record: bool = True) -> None:
        if self.step is not None:
            t0 = self.clock.now()
            self.step()
            t1 = self.clock.now()
            if record:
                self.full.append(t1 - t0)
            return
        self.model.zero_grad(set_to_none=True)
        if self.mark_step:
            torch.compiler.cudagraph_mark_step_begin()
        t0 = self.clock.now()
        out = self.call(*self.inputs)
        t1 = self.clock.now()
        loss_of(out).backward()
        t2 = self.clock.now()
        if record:
            self.fwd.append(t1 - t0)
            self.bwd.append(t2 - t1)

    def result(self) -> dict:
        if self.step is not None:
            return {"step": summary(self.full), "first_step_s": self.first_step_s}
        total = [f + b for f, b in zip(self.fwd, self.bwd)]
        return {"forward": summary(self.fwd), "backward": summary(self.bwd),
                "total": summary(total), "first_step_s": self.first_step_s}


def _adam_step(model, call, inputs, mark_step: bool = False) -> Callable:
    # fused: one kernel for every parameter (both libraries get the same optimizer)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=True, fused=True)

    def step():
        if mark_step:  # torch.compile's CUDA graphs: a new step may overwrite the last outputs
            torch.compiler.cudagraph_mark_step_begin()
        opt.zero_grad(set_to_none=False)
        loss = loss_of(call(*inputs))
        loss.backward()
        opt.step()
        return loss

    return step


def build_cases(kind: str, x, edge_index, num_nodes: int, args, clock: Clock,
                have_pyg: bool) -> list[Case]:
    import geode
    from geode_core.ops import Adjacency

    device = x.device
    adj = Adjacency.from_edge_index(edge_index, size=num_nodes)
    cases = []
    torch.manual_seed(0)
    g_eager = geode_model(kind, args.channels, args.layers).to(device)
    cases.append(Case("geode eager", g_eager, g_eager, (x, adj), clock))
    g_comp = geode_model(kind, args.channels, args.layers).to(device)
    cases.append(Case("geode compiled", g_comp, geode.compile(g_comp), (x, adj), clock))
    if have_pyg:
        p_eager = pyg_model(kind, args.channels, args.layers).to(device)
        cases.append(Case("pyg eager", p_eager, p_eager, (x, edge_index), clock))
        p_comp = pyg_model(kind, args.channels, args.layers).to(device)
        cases.append(Case("pyg compiled", p_comp, torch.compile(p_comp), (x, edge_index), clock))
    if device.type == "cuda":
        g_ro = geode_model(kind, args.channels, args.layers).to(device)
        # full-graph training: the same features and graph every step, read in place
        cases.append(Case("geode compiled (reduce-overhead)", g_ro,
                          geode.compile(g_ro, mode="reduce-overhead", static_inputs=True),
                          (x, adj), clock, mark_step=True))
    if device.type == "cuda" and not args.large:
        g_graph = geode_model(kind, args.channels, args.layers).to(device)
        step = _adam_step(g_graph, g_graph, (x, adj))
        runner = geode.compile.StaticStepRunner(lambda xx: step(), (x,))
        cases.append(Case("geode cuda-graph step", g_graph, None, (), clock,
                          step=lambda: runner(x)))
        g_cgraph = geode_model(kind, args.channels, args.layers).to(device)
        c_step = _adam_step(g_cgraph, geode.compile(g_cgraph), (x, adj))
        c_runner = geode.compile.StaticStepRunner(lambda xx: c_step(), (x,))
        cases.append(Case("geode compiled cuda-graph step", g_cgraph, None, (), clock,
                          step=lambda: c_runner(x)))
        if have_pyg:
            p_graph = pyg_model(kind, args.channels, args.layers).to(device)
            compiled = torch.compile(p_graph, mode="reduce-overhead")
            cases.append(Case("pyg reduce-overhead step", p_graph, None, (), clock,
                              step=_adam_step(p_graph, compiled, (x, edge_index), mark_step=True)))
            # PyG's graph breaks can trip CUDA-graph trees; plain per-graph capture as a fallback
            p_plain = pyg_model(kind, args.channels, args.layers).to(device)
            compiled_plain = torch.compile(p_plain, options={"triton.cudagraphs": True,
                                                             "triton.cudagraph_trees": False})
            cases.append(Case("pyg reduce-overhead (no trees)", p_plain, None, (), clock,
                              step=_adam_step(p_plain, compiled_plain, (x, edge_index))))
    return cases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--large", action="store_true", help="1,000,000 nodes / 20,000,000 edges")
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--models", nargs="+", default=["gcn", "sage", "gin"])
    ap.add_argument("--channels", type=int, default=64)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--no-pyg", action="store_true")
    args = ap.parse_args()
    device = torch.device(args.device)
    repeats = args.repeats or (5 if args.quick else (20 if device.type == "cpu" else 50))
    num_nodes, num_edges = (1_000_000, 20_000_000) if args.large else (10_000, 200_000)
    have_pyg = False
    if not args.no_pyg:
        try:
            import torch_geometric

            have_pyg = True
        except ImportError:
            print("torch_geometric not installed: Geode only")
    gen = torch.Generator().manual_seed(0)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=gen).to(device)
    x = torch.randn(num_nodes, args.channels, generator=gen).to(device)
    clock = Clock(device)
    results = {}
    for kind in args.models:
        torch._dynamo.reset()
        cases = build_cases(kind, x, edge_index, num_nodes, args, clock, have_pyg)
        failed = {}
        for case in cases:
            try:
                case.warm(3)
            except Exception as err:  # a mode that cannot run is reported, not fatal
                failed[case.name] = {"error": f"{type(err).__name__}: {str(err)[:300]}"}
        cases = [case for case in cases if case.name not in failed]
        for _ in range(repeats):  # interleaved so machine noise hits every case alike
            for case in cases:
                case.run_once()
        results[kind] = {**{case.name: case.result() for case in cases}, **failed}
        if device.type == "cuda":
            results[kind]["peak_memory_mb"] = torch.cuda.max_memory_allocated() / 2**20
            torch.cuda.reset_peak_memory_stats()
        print_table(kind, results[kind])
    meta = {"device": str(device), "device_name": torch.cuda.get_device_name() if device.type == "cuda"
            else platform.processor() or platform.machine(), "torch": torch.__version__,
            "threads": torch.get_num_threads(), "num_nodes": num_nodes, "num_edges": num_edges,
            "channels": args.channels, "layers": args.layers, "repeats": repeats}
    if have_pyg:
        import torch_geometric

        meta["torch_geometric"] = torch_geometric.__version__
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"compile-{device.type}{'-large' if args.large else ''}.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    print(f"wrote {out}")


def print_table(kind: str, res: dict) -> None:
    base = res.get("pyg eager", {}).get("total", {}).get("median_ms")
    print(f"\n{kind}: ms per step (median, IQR); speedup = PyG eager / this")
    print(f"{'mode':<34}{'forward':>10}{'backward':>10}{'total':>10}{'IQR':>8}{'speedup':>9}"
          f"{'1st step s':>11}")
    for name, r in res.items():
        if not isinstance(r, dict):
            continue
        if "error" in r:
            print(f"{name:<34}failed: {r['error'][:100]}")
            continue
        if "step" in r:
            tot, fwd, bwd = r["step"]["median_ms"], float("nan"), float("nan")
            iqr = r["step"]["iqr_ms"]
        else:
            tot, fwd, bwd = r["total"]["median_ms"], r["forward"]["median_ms"], r["backward"]["median_ms"]
            iqr = r["total"]["iqr_ms"]
        speed = f"{base / tot:.2f}x" if base else "-"
        print(f"{name:<34}{fwd:>10.3f}{bwd:>10.3f}{tot:>10.3f}{iqr:>8.3f}{speed:>9}"
              f"{r['first_step_s']:>11.2f}")


if __name__ == "__main__":
    main()
