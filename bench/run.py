"""Run the benchmark suites in bench/ in turn; each prints its table and writes JSON under
bench/results/ (``python bench/render.py`` turns those into the docs' tables and plots).

Usage: python bench/run.py [--device cuda] [suite ...]
Default: every CPU suite. ``--device cuda`` runs the suites that have a GPU mode, on the GPU.
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).parent
#: suite name -> (script, default arguments)
SUITES = {
    "import_time": ("import_time.py", ["--repeats", "9"]),
    "sampler": ("sampler.py", []),
    "layers": ("layers.py", []),
    "compile": ("compile.py", ["--quick"]),
    "data": ("data.py", []),
    "hetero": ("hetero.py", []),
    "explain": ("explain.py", ["--quick", "--repeats", "3"]),
    "stores": ("stores.py", ["--quick"]),
    "ipu": ("ipu.py", ["--quick"]),
    "mp": ("mp.py", []),
    "aggr": ("aggr.py", []),
}
#: suites with a ``--device`` option, and their arguments on a GPU
GPU_SUITES = {
    "compile": ["--device", "cuda"],
    "ipu": ["--device", "cuda"],
}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("suites", nargs="*")
    args = ap.parse_args(argv)
    available = SUITES if args.device == "cpu" else GPU_SUITES
    chosen = args.suites or list(available)
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown suite(s) {unknown} for device {args.device}; available: "
              f"{', '.join(available)}", file=sys.stderr)
        return 2
    failed = []
    for name in chosen:
        script, default_args = SUITES[name]
        suite_args = default_args if args.device == "cpu" else GPU_SUITES[name]
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *suite_args]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed suites: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
