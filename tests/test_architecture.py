"""The package's shape (docs/architecture.md): layers whose imports only point down, no import
cycle, no module over 600 lines nor function over 80, and a wheel that works on its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]
LAYERS = ["cli", "pemda", "tandatangan", "run", "render", "document", "analysis", "data", "core"]


def _lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = None
    if pythonpath:
        import os

        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [*LINT_IMPORTS, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_contracts_kept():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_layers_are_the_folders():
    """Every module of lkj is in one of the layer packages (only cli and __main__ at the top)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = contract["tool"]["importlinter"]["contracts"][0]["layers"]
    named = [m.strip().removeprefix("lkj.") for layer in layers for m in layer.split("|")]
    assert named == LAYERS
    top = sorted(p.name for p in (ROOT / "lkj").iterdir() if p.suffix == ".py")
    assert top == ["__init__.py", "__main__.py", "cli.py"]
    packages = sorted(p.name for p in (ROOT / "lkj").iterdir() if (p / "__init__.py").is_file())
    assert packages == sorted(LAYERS[1:])


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # an import that points up a layer: the foundations importing the pipeline
        ("core/fmt.py", "from lkj.run import lock  # noqa", "lkj.core is not allowed to import"),
        # a circle inside one layer: two document modules importing each other
        ("document/tables.py", "from lkj.document import grafik  # noqa", "No cycles"),
    ],
)
def test_contract_breaks(tmp_path, module, line, broken):
    """The contract is not vacuous: one import up, or one circle, and lint-imports fails."""
    shutil.copytree(ROOT / "lkj", tmp_path / "lkj", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if module == "document/tables.py":  # grafik must import tables back for a circle
        target = tmp_path / "lkj" / "document" / "grafik.py"
        target.write_text(
            target.read_text(encoding="utf-8") + "\nfrom lkj.document import tables  # noqa\n",
            encoding="utf-8",
        )
    path = tmp_path / "lkj" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = _lint_imports(tmp_path, pythonpath=tmp_path)
    assert done.returncode == 1, done.stdout
    assert broken in done.stdout


def test_sizes():
    """No module over 600 lines, no function over 80 (scripts/sizes.py lists them)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sizes.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_wheel_runs_check(tmp_path):
    """The wheel holds the layer packages, templates and fonts; installed alone in a scratch
    environment (its dependencies from this one's site-packages), `python -m lkj check` runs
    from a project folder holding config/ and data/raw/."""
    import zipfile

    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("lkj-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for package in LAYERS[1:]:
        assert f"lkj/{package}/__init__.py" in names
    assert "lkj/templates/typst/laporan.typ" in names
    assert "lkj/templates/lkj_report/static/lkj.css" in names
    assert sum(n.startswith("lkj/fonts/") and n.endswith(".ttf") for n in names) == 8

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + ["--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    project = tmp_path / "proyek"
    shutil.copytree(ROOT / "data" / "raw" / "2022", project / "data" / "raw" / "2022")
    shutil.copytree(ROOT / "config", project / "config")
    import os

    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    where = subprocess.run(
        [str(python), "-c", "import lkj; print(lkj.__file__)"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)  # the wheel's lkj, not the clone's
    done = subprocess.run(
        [str(python), "-m", "lkj", "check", "--year", "2022"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Data 2022 sah menurut kontrak data: instansi 16,")


def test_architecture_doc_is_current():
    """docs/architecture.md holds the picture scripts/architecture.py draws from the imports."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import architecture
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert architecture.generated() in doc, "run: python scripts/architecture.py --write"
