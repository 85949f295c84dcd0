"""Sessions: tests (the README's test command), matrix, lint, docs, bench, demo.

Torch is installed once per machine into ``.nox/.torch`` (the CPU build pip finds on
disk) and shared by every session through a ``.pth`` file, so no session downloads it.
Sessions install built wheels, never the source tree, so a file left out of a wheel or a
missing dependency fails here first.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import sys

import nox

ROOT = pathlib.Path(__file__).parent
TORCH = os.environ.get("GEODE_TORCH_SPEC", "torch==2.13.0")
TORCH_BASE = ROOT / ".nox" / ".torch"
WHEELS = ROOT / ".nox" / ".wheels"
TEST_DEPS = ["pytest>=8", "hypothesis>=6", "scipy>=1.10", "networkx>=3"]

#: short name -> (folder, distribution)
PACKAGES = {
    "core": ("packages/core", "geode-core"),
    "aggr": ("packages/aggr", "geode-aggr"),
    "sampler": ("packages/sampler", "geode-sampler"),
    "hetero": ("packages/hetero", "geode-hetero"),
    "compile": ("packages/compile", "geode-compile"),
    "ipu": ("packages/ipu", "geode-ipu"),
    "stores": ("packages/stores", "geode-stores"),
    "explain": ("packages/explain", "geode-explain"),
    "geode": ("packages/geode", "geode"),
    "example": ("tests-integration/example-plugin", "geode-example-plugin"),
}
#: optional dependencies the full test run exercises
EXTRAS: dict[str, str] = {"sampler": "[metis]", "explain": "[plot,captum]"}
PLUGINS = ["aggr", "sampler", "hetero", "compile", "ipu", "stores", "explain"]
MATRIX = {
    "core": ["core", "geode"],
    **{f"core+{p}": ["core", p, "geode"] for p in PLUGINS},
    "all": ["core", *PLUGINS, "geode"],
    "all+example": ["core", *PLUGINS, "geode", "example"],
}

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True


def _site_packages(python: pathlib.Path) -> str:
    import subprocess

    return subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip()


def share_torch(session: nox.Session) -> None:
    """Make the machine-wide torch importable in this session (installing it once)."""
    bindir = "Scripts" if sys.platform == "win32" else "bin"
    base_python = TORCH_BASE / bindir / "python"
    if not base_python.exists():
        session.run(sys.executable, "-m", "venv", str(TORCH_BASE), external=True)
        session.run(str(base_python), "-m", "pip", "install", "-q", TORCH, "numpy", external=True)
    session_site = _site_packages(pathlib.Path(session.virtualenv.bin) / "python")
    pathlib.Path(session_site, "geode-shared-torch.pth").write_text(_site_packages(base_python) + "\n")


def build_wheels(session: nox.Session, names: list[str]) -> None:
    """Build wheels of ``names`` into .nox/.wheels (fresh each run)."""
    session.install("hatchling>=1.21", "pip")
    WHEELS.mkdir(parents=True, exist_ok=True)
    for name in names:
        folder, dist = PACKAGES[name]
        for old in WHEELS.glob(f"{dist.replace('-', '_')}-*.whl"):
            old.unlink()
        session.run("python", "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(WHEELS), str(ROOT / folder))


def install_subset(session: nox.Session, names: list[str], extras: bool = True) -> None:
    share_torch(session)
    build_wheels(session, names)
    specs = [PACKAGES[n][1] + (EXTRAS.get(n, "") if extras else "") for n in names]
    session.install("--find-links", str(WHEELS), *specs, *TEST_DEPS)


def test_paths(names: list[str]) -> list[str]:
    paths = [f"{PACKAGES[n][0]}/tests" for n in names if n != "example"]
    if "example" in names or names == list(PACKAGES):
        paths.append("tests-integration/tests")
    return [p for p in paths if (ROOT / p).exists()]


@nox.session
def tests(session: nox.Session) -> None:
    """Every package installed (with its extras) and every test, integration included."""
    names = list(PACKAGES)
    install_subset(session, names)
    session.run("python", "-m", "pytest", "-m", "not gpu", *test_paths(names), *session.posargs,
                env={"GEODE_DATASETS": str(ROOT.parent / "shared" / "datasets")})


@nox.session
@nox.parametrize("subset", list(MATRIX))
def matrix(session: nox.Session, subset: str) -> None:
    """One installed subset: its tests, and helpful ImportErrors for what is absent."""
    names = MATRIX[subset]
    install_subset(session, names, extras=subset.startswith("all"))
    session.run("python", "-m", "pytest", "-q", "-m", "not gpu and not slow",
                *test_paths(names), *session.posargs)
    if subset == "all+example":
        session.run("geode", "plugins")


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", ".")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with warnings as errors (mkdocstrings reads sources statically)."""
    session.install("mkdocs==1.6.*", "mkdocs-material==9.*", "mkdocstrings==1.0.*",
                    "mkdocstrings-python==2.0.*", "matplotlib")
    session.run("mkdocs", "build", "--strict", "-d", "site", *session.posargs,
                env={"NO_MKDOCS_2_WARNING": "1"})  # silence the theme's end-of-life banner


@nox.session
def demo(session: nox.Session) -> None:
    """Train and evaluate GNNs on built-in data; prints a results table."""
    install_subset(session, ["core", *PLUGINS, "geode"], extras=False)
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmark suites, Geode and PyG (from PyPI) side by side on this machine."""
    install_subset(session, ["core", *PLUGINS, "geode"], extras=True)
    session.install("torch_geometric==2.8.*", "matplotlib")
    session.run("python", "bench/run.py", *session.posargs)


@nox.session
def clean(session: nox.Session) -> None:
    """Remove the shared torch and built wheels."""
    shutil.rmtree(TORCH_BASE, ignore_errors=True)
    shutil.rmtree(WHEELS, ignore_errors=True)
