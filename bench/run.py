"""Run every benchmark suite in bench/ in turn; each prints its table and writes JSON
under bench/results/. Usage: python bench/run.py [suite ...] (default: all suites).
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).parent
#: suite name -> (script, default arguments)
SUITES = {
    "import_time": ("import_time.py", ["--repeats", "9"]),
    "sampler": ("sampler.py", []),
    "compile": ("compile.py", ["--quick"]),
    "data": ("data.py", []),
    "layers": ("layers.py", []),
    "hetero": ("hetero.py", []),
    "ipu": ("ipu.py", ["--quick"]),
    "explain": ("explain.py", []),
}


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        print(f"unknown suite(s) {unknown}; available: {', '.join(SUITES)}", file=sys.stderr)
        return 2
    failed = []
    for name in chosen:
        script, args = SUITES[name]
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *args]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed suites: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
