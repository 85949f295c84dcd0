"""Render bench/results/*.json as Markdown tables and matplotlib plots.

Used by the docs build (``docs/hooks/benchmarks.py``) and by hand:
``python bench/render.py [--out DIR]`` prints every table and, with ``--out``, writes one
PNG per suite that has a plot. Reads JSON only: no torch, no Geode import.
"""

from __future__ import annotations

import argparse
import io
import json
import pathlib
from collections.abc import Callable

RESULTS = pathlib.Path(__file__).parent / "results"


def load(name: str) -> dict | list | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def markdown_table(header: list[str], rows: list[list]) -> str:
    def cell(v) -> str:
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
        return str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# -- compile (bench/compile.py) ------------------------------------------------------------
def _step_ms(entry: dict) -> float | None:
    if "error" in entry:
        return None
    return entry["step"]["median_ms"] if "step" in entry else entry["total"]["median_ms"]


def compile_table(data: dict) -> str:
    rows = []
    for model, modes in data["results"].items():
        base = _step_ms(modes.get("pyg eager", {"error": ""}))
        for mode, entry in modes.items():
            if not isinstance(entry, dict):
                continue
            if "error" in entry:
                rows.append([model, mode, "-", "-", "failed", "-", "-"])
                continue
            total = _step_ms(entry)
            fwd = entry["forward"]["median_ms"] if "forward" in entry else "-"
            bwd = entry["backward"]["median_ms"] if "backward" in entry else "-"
            speedup = f"{base / total:.2f}x" if base else "-"
            rows.append([model, mode, fwd, bwd, total, speedup, entry["first_step_s"]])
    meta = data["meta"]
    caption = (f"{meta['num_nodes']:,} nodes, {meta['num_edges']:,} edges, {meta['channels']} "
               f"channels, {meta['layers']} layers on {meta['device_name']} (torch {meta['torch']}"
               f"{', PyG ' + meta['torch_geometric'] if 'torch_geometric' in meta else ''}); "
               "milliseconds per step, medians; speedup over PyG eager from the same run. "
               "CUDA-graph rows are whole training steps (forward, backward, Adam).")
    return markdown_table(["model", "mode", "forward ms", "backward ms", "total ms",
                           "speedup", "first step s"], rows) + f"\n\n{caption}\n"


def compile_plot(data: dict, ax) -> None:
    models = list(data["results"])
    modes = [m for m in next(iter(data["results"].values())) if m != "peak_memory_mb"]
    width = 0.8 / len(modes)
    for i, mode in enumerate(modes):
        values = [_step_ms(data["results"][m].get(mode, {"error": ""})) or 0.0 for m in models]
        ax.bar([j + i * width for j in range(len(models))], values, width, label=mode)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(models))], models)
    ax.set_ylabel("ms per step (lower is better)")
    ax.set_yscale("log")
    ax.set_title(f"Training step, {data['meta']['num_nodes']:,} nodes / "
                 f"{data['meta']['num_edges']:,} edges, {data['meta']['device_name']}")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))


# -- generic: suites that write {"rows": [...]} or a list of flat records --------------------
def rows_table(data: dict | list) -> str:
    if isinstance(data, dict) and "rows" not in data:  # one flat record: key | value
        flat = [[k, v] for k, v in data.items() if not isinstance(v, (dict, list))]
        return markdown_table(["quantity", "value"], flat)
    rows = data["rows"] if isinstance(data, dict) else data
    header = list(rows[0])
    return markdown_table(header, [[row.get(h, "") for h in header] for row in rows])


def sampler_table(data: dict) -> str:
    header = ["case", "M sampled edges/s", "min-max", "batches/s", "nodes/batch", "vs PyG reference"]
    rows = [[r["case"], r["edges_per_s_M"], f"{r['edges_per_s_M_min']:.2f}-{r['edges_per_s_M_max']:.2f}",
             r.get("batches_per_s", "-"), r.get("nodes_per_batch", "-"),
             f"{r['ratio_vs_pyg_reference']:.2f}x" if "ratio_vs_pyg_reference" in r else "-"]
            for r in data["rows"]]
    g, rss = data["graph"], data["peak_rss_mb"]
    caption = (f"NeighborLoader {data['fanout']}, batch {data['batch_size']}, {g['features']} features "
               f"sliced; {g['num_nodes']:,} nodes, {g['num_edges']:,} edges (power law, alpha {g['alpha']}); "
               f"medians of {data['repeats']} interleaved repeats, torch {data['torch']}, "
               f"{data['cpu_count']} CPU cores. PyG reference: {data['pyg_reference_edges_per_s_M']} M edges/s "
               f"(PyG 2.8 + torch-sparse, 1M/20M, same machine); side by side: {data['pyg']}. "
               f"Peak RSS: main {rss['main_process']} MB, largest worker {rss['largest_worker']} MB."
               + (f" Load average at start/end: {data['load_average_1min_at_start_end']}."
                  if "load_average_1min_at_start_end" in data else ""))
    return markdown_table(header, rows) + f"\n\n{caption}\n"


def data_table(data: dict) -> str:
    def ms(entry: dict | None) -> str:
        return f"{entry['median_ms']:.2f} ({entry['min_ms']:.1f}-{entry['max_ms']:.1f})" if entry else "n/a"

    rows = [[r["case"], ms(r.get("geode")), ms(r.get("pyg")), r.get("ratio_pyg_over_geode", "n/a")]
            for r in data["rows"]]
    caption = (f"Milliseconds, median (min-max) of {data['repeats']} interleaved repeats, "
               f"{data['threads']} thread(s), torch {data['torch']}, PyG {data['pyg']}; "
               f"ratio > 1: Geode faster.")
    return markdown_table(["case", "geode ms", "pyg ms", "pyg / geode"], rows) + f"\n\n{caption}\n"


def hetero_table(data: dict) -> str:
    def ms(entry: dict | None) -> str:
        return f"{entry['median_ms']:.1f} ({entry['min_ms']:.0f}-{entry['max_ms']:.0f})" if entry else "-"

    def ratio(r: dict, key: str) -> str:
        return f"{r[key]['median_ms'] / r['geode']['median_ms']:.2f}x" if key in r else "-"

    rows = [[r["workload"], ms(r["geode"]), ms(r.get("loop")), ms(r.get("pyg")), ms(r.get("pyg_csr")),
             ratio(r, "loop"), ratio(r, "pyg"), ratio(r, "pyg_csr")] for r in data["results"]]
    g = data["graph"]
    caption = (f"{g['node_types']} node types, {g['edge_types']} edge types, {g['num_nodes']:,} nodes, "
               f"{g['num_edges']:,} edges, {g['channels']} channels; forward + backward, milliseconds, "
               f"median (min-max) of {data['repeats']} interleaved repeats, {data['threads']} thread(s), "
               f"torch {data['machine']['torch']}, PyG {data['machine']['pyg']}; ratio > 1: Geode faster. "
               "pyg csr: PyG given a transposed torch sparse CSR matrix per edge type (its fastest "
               "input without torch-sparse); Geode is given HeteroData.adj_t_dict.")
    return markdown_table(["workload", "geode ms", "loop ms", "pyg ms", "pyg csr ms", "loop / geode",
                           "pyg / geode", "pyg csr / geode"], rows) + f"\n\n{caption}\n"
def hetero_crossover_table(data: dict) -> str:
    def ms(entry: dict) -> str:
        return f"{entry['median_ms']:.1f} ({entry['min_ms']:.1f})"

    rows = [[r["num_types"], ms(r["type_loop"]), ms(r["sorted"]), f"{r['loop_over_sorted']:.2f}x",
             f"{r['loop_over_sorted_of_minima']:.2f}x"] for r in data["results"]]
    caption = (f"HeteroLinear's two kernels forced, {data['rows']:,} unsorted rows, {data['channels']} -> "
               f"{data['channels']}, forward + backward; milliseconds, median (fastest) of "
               f"{data['repeats']} interleaved repeats, {data['threads']} thread(s); below 1: type_loop faster.")
    return markdown_table(["types", "type_loop ms", "sorted ms", "loop / sorted", "of minima"],
                          rows) + f"\n\n{caption}\n"


def explain_table(data: dict) -> str:
    def spread(entry: dict | None) -> str:
        if entry is None:
            return "-"
        if entry["min"] == entry["max"]:
            return f"{entry['median']:.3f}"
        return f"{entry['median']:.3f} ({entry['min']:.3f}-{entry['max']:.3f})"

    rows = []
    for row in data["rows"]:
        geode_s, pyg = row["geode_seconds"]["median"], row.get("pyg_seconds")
        rows.append([row["method"], spread(row["geode_auroc"]), spread(row.get("pyg_auroc")),
                     geode_s, pyg["median"] if pyg else "-",
                     f"{pyg['median'] / geode_s:.2f}" if pyg else "-"])
    caption = (f"BA-shapes, {data['explained_nodes']} explained house nodes, GCN train accuracy "
               f"{data['train_accuracy']:.3f}, {data['repeats']} explainer seed(s): pooled AUROC "
               f"(median, min-max) and wall-clock seconds for all nodes. "
               f"{data['protocol']}")
    return markdown_table(["method", "Geode AUROC", "PyG AUROC", "Geode s", "PyG s",
                           "PyG/Geode time"], rows) + f"\n\n{caption}\n"


def stores_table(data: dict) -> str:
    fetch = markdown_table(
        ["rows/fetch", "backend", "rows/s", "median ms", "min-max ms", "vs in-memory"],
        [[r["batch"], r["backend"], f"{r['rows_per_s']:,.0f}", r["median_s"] * 1e3,
          f"{r['min_s'] * 1e3:.1f}-{r['max_s'] * 1e3:.1f}", f"{r['slowdown_vs_memory']:.1f}x"]
         for r in data["feature_fetch"]])
    parts = markdown_table(
        ["parts", "strategy", "edge cut", "remote nodes", "KB/batch", "node balance", "edge balance"],
        [[r["parts"], r["strategy"], r["edge_cut_fraction"], r["remote_node_fraction"],
          f"{r['bytes_per_batch'] / 1024:,.0f}", r["node_balance"], r["edge_balance"]]
         for r in data["partitioning"] if r["parts"] > 1])
    return (f"{fetch}\n\nRandom-row fetch of 128 float32 from {data['num_rows']:,} rows.\n\n"
            f"{parts}\n\nPartitions of a {data['num_rows']:,}-node community graph; a mini-batch "
            f"is 1,024 seeds with fan-out [10, 5].\n" + stores_sampler_table(data))


def stores_sampler_table(data: dict) -> str:
    """Sampler throughput vs world size; from the ``--quick`` results when ``data`` has none."""
    if not data.get("sampler_throughput"):
        data = load("stores-quick") or {}
    rows = data.get("sampler_throughput")
    if not rows:
        return ""
    table = markdown_table(
        ["ranks", "edges/batch", "sampling edges/s", "loader edges/s", "loader edges/s per rank",
         "loader min-max", "batch ms", "remote nodes", "KB/batch per rank", "of which sampling KB"],
        [[r["world_size"], f"{r['edges_per_batch']:,.0f}", f"{r['sampling_edges_per_s']:,.0f}",
          f"{r['edges_per_s']:,.0f}", f"{r['edges_per_s_per_rank']:,.0f}",
          f"{r['edges_per_s_min']:,.0f}-{r['edges_per_s_max']:,.0f}", r["batch_s"] * 1e3,
          r["remote_node_fraction"], f"{r['bytes_per_batch'] / 1024:,.0f}",
          f"{r['sampling_bytes_per_batch'] / 1024:,.0f}"] for r in rows])
    cpus = data["machine"].get("cpus")
    return (f"\n{table}\n\n`DistNeighborLoader` on 1, 2 and 4 gloo processes on loopback over a "
            f"random partition of a {data['num_rows']:,}-node community graph: 1,024 seeds per rank "
            f"and batch, fan-out [10, 5], 128-float features; medians over {rows[0]['batches']} "
            f"batches. Edges/s count the sampled edges of all ranks per second of the sampling step "
            f"alone and of the whole loader step (sampling + feature fetch); KB are what one rank "
            f"sends + receives. All ranks share {f'{cpus} cores' if cpus else 'one machine'}, so "
            f"scaling is bounded by the cores.\n")


def ipu_table(data: dict) -> str:
    """bench/ipu.py: throughput per mode and workload, then padding waste per strategy."""
    rows = [[r["workload"], r["mode"], r["items/s"], f"{r['min']:.0f}-{r['max']:.0f}", r["ratio"]]
            for r in data["rows"]]
    waste = [[w, strategy, v["node_waste"], v["edge_waste"]]
             for w, info in data["workloads"].items()
             for strategy, v in info["padding_waste"].items()]
    caption = (f"{data['device']} ({data['machine'].get('gpu') or data['machine']['platform']}, "
               f"torch {data['machine']['torch']}); graphs (MUTAG) or seed nodes (sampled Cora) "
               f"per second, medians of {data['repeats']} interleaved repeats; ratio over eager "
               f"unpadded. Waste: fraction of node and edge slots holding padding.")
    return (markdown_table(["workload", "mode", "items/s", "spread", "ratio"], rows) + "\n\n"
            + markdown_table(["workload", "strategy", "node waste", "edge waste"], waste)
            + f"\n\n{caption}\n")


def _ms(entry: dict) -> str:
    return f"{entry['median_ms']:.1f} ({entry['q1_ms']:.0f}-{entry['q3_ms']:.0f})"


def mp_table(data: dict) -> str:
    """bench/mp.py: training step per model and thread count, Geode and PyG, with peak memory."""
    rows = []
    adj_t = any("pyg-adj_t" in r for models in data["results_by_threads"].values()
                for r in models.values())
    for threads, models in data["results_by_threads"].items():
        for model, r in models.items():
            row = [model, threads, _ms(r["geode"]), _ms(r["pyg"]), f"{r['ratio']:.2f}x"]
            if adj_t:
                row += [_ms(r["pyg-adj_t"]), f"{r['ratio_adj_t']:.2f}x"]
            rows.append([*row, r["geode"].get("peak_mib", "-"), r["pyg"].get("peak_mib", "-")])
    w = data["workload"]
    caption = (f"{w['num_nodes']:,} nodes, {w['num_edges']:,} edges, {w['channels']} channels, "
               f"{w['layers']} layers, {w['step']}; milliseconds, median (interquartile range) of "
               f"{w['repeats']} interleaved repeats; torch {data['machine']['torch']}, PyG "
               f"{data['pyg']}; peak resident memory in MiB (fresh process per library and model).")
    if adj_t:
        caption += " pyg adj_t: PyG on a torch sparse CSR adj_t, its documented fast input."
    headers = ["model", "threads", "geode ms", "pyg ms", "pyg / geode"]
    headers += ["pyg adj_t ms", "pyg adj_t / geode"] if adj_t else []
    return markdown_table([*headers, "geode MiB", "pyg MiB"], rows) + f"\n\n{caption}\n"


def aggr_table(data: dict) -> str:
    """bench/aggr.py: forward + backward per aggregation, Geode and PyG, index and ptr calls."""
    ptr = data.get("results_ptr", {})

    def ratio(r):
        return f"{r['ratio']:.2f}x" if r and r.get("ratio") else "-"

    rows = [[name, _ms(r["geode"]), _ms(r["pyg"]) if r.get("pyg") else "-", ratio(r),
             _ms(ptr[name]["geode"]) if name in ptr else "-", ratio(ptr.get(name))]
            for name, r in data["results"].items()]
    w = data["workload"]
    caption = (f"{w['num_messages']:,} messages into {w['num_segments']:,} segments, "
               f"{w['channels']} channels ({w['index']}; ptr: {w.get('ptr', '-')}); forward + "
               f"backward, milliseconds, median (interquartile range) of {w['repeats']} "
               f"interleaved repeats (one for steps over a second); {data['machine']['threads']} "
               f"thread(s); PyG {data['pyg']}.")
    return markdown_table(["aggregation", "geode ms (index)", "pyg ms (index)", "pyg / geode",
                           "geode ms (ptr)", "pyg / geode (ptr)"], rows) + f"\n\n{caption}\n"


#: result-file prefix -> (table renderer, optional plot renderer); the longest prefix wins
RENDERERS: dict[str, tuple[Callable, Callable | None]] = {
    "compile-": (compile_table, compile_plot),
    "mp": (mp_table, None),
    "aggr": (aggr_table, None),
    "sampler": (sampler_table, None),
    "data": (data_table, None),
    "hetero": (hetero_table, None),
    "hetero-crossover": (hetero_crossover_table, None),
    "explain": (explain_table, None),
    "stores": (stores_table, None),
    "ipu-": (ipu_table, None),
}


def renderers(name: str) -> tuple[Callable, Callable | None]:
    prefixes = sorted((p for p in RENDERERS if name.startswith(p)), key=len, reverse=True)
    return RENDERERS[prefixes[0]] if prefixes else (rows_table, None)


def table(name: str) -> str:
    data = load(name)
    if data is None:
        return f"*No results yet: run `python bench/run.py` to produce `bench/results/{name}.json`.*"
    return renderers(name)[0](data)


def suites() -> list[str]:
    return sorted(path.stem for path in RESULTS.glob("*.json"))


def plot_png(name: str) -> bytes | None:
    """The suite's plot as PNG bytes, or None when it has no plot or no results."""
    data = load(name)
    plot = renderers(name)[1]
    if data is None or plot is None:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 3.6), dpi=110)
    plot(data, ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, help="write <suite>.png plots here")
    args = ap.parse_args()
    for name in suites():
        print(f"## {name}\n\n{table(name)}\n")
        if args.out:
            png = plot_png(name)
            if png:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{name}.png").write_bytes(png)


if __name__ == "__main__":
    main()
