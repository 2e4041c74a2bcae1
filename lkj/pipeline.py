"""Run the report of a year: the notebooks in order (papermill), then HTML and PDF (nbconvert).

Takes data/raw/YEAR, notebooks/*.ipynb, lkj/ and config/lkj.toml; gives data/processed/YEAR
and outputs/YEAR (executed notebooks and their HTML, figures, LKj_YEAR.html, LKj_YEAR.pdf,
manifest.json). Everything is built in a staging folder and moved into place only when the
whole run succeeded, so a failed or interrupted run never replaces the last good report. A run
whose inputs did not change since the last good report does nothing.

Heavy libraries are imported inside the functions that need them, so that the no-op check
stays fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lkj.errors import LkjError

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "manifest.json"
KERNEL_NAME = "lkj"
# Error classes raised inside a notebook whose message is the whole story for the user.
USER_ERRORS = {"DataError", "DataErrors", "ConfigError", "LkjError"}


@dataclass(frozen=True)
class Paths:
    """Where a year's inputs and outputs live."""

    year: int
    raw_root: Path
    processed: Path
    output: Path
    config: Path

    @property
    def raw(self) -> Path:
        """data/raw/YEAR."""
        return self.raw_root / str(self.year)

    @classmethod
    def resolve(
        cls,
        year: int,
        raw_root: str | Path | None = None,
        processed: str | Path | None = None,
        output: str | Path | None = None,
        config: str | Path | None = None,
        root: Path = ROOT,
    ) -> Paths:
        """Fill in the defaults of the repository layout.

        Args:
            year: the report year.
            raw_root: folder of the year folders (default data/raw).
            processed: data/processed/YEAR by default.
            output: outputs/YEAR by default.
            config: config/lkj.toml by default.
            root: the repository.

        Returns:
            Absolute paths.
        """
        year = int(year)
        return cls(
            year=year,
            raw_root=Path(raw_root or root / "data" / "raw").resolve(),
            processed=Path(processed or root / "data" / "processed" / str(year)).resolve(),
            output=Path(output or root / "outputs" / str(year)).resolve(),
            config=Path(config or root / "config" / "lkj.toml").resolve(),
        )


def notebooks(root: Path = ROOT) -> list[Path]:
    """The pipeline's notebooks in execution order (notebooks/NN_*.ipynb)."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files(paths: Paths, root: Path = ROOT) -> list[Path]:
    """Every file the report depends on: the raw data of the year and of every earlier year
    (the report compares with them), notebooks, code, templates, configuration."""
    years = []
    if paths.raw_root.is_dir():
        years = [
            d
            for d in paths.raw_root.iterdir()
            if d.is_dir() and d.name.isdigit() and int(d.name) <= paths.year
        ]
    files = [p for d in years for p in d.rglob("*") if p.is_file() and not p.name.startswith("~$")]
    files += notebooks(root)
    files += [p for p in (root / "lkj").rglob("*") if p.is_file() and p.suffix != ".pyc"]
    files += [paths.config]
    for extra in ("constraints.txt", "pyproject.toml"):
        if (root / extra).is_file():
            files.append(root / extra)
    return sorted(set(files))


def fingerprint(paths: Paths, root: Path = ROOT) -> dict[str, str]:
    """Checksums of every input, keyed by path relative to the repository (or absolute)."""
    out = {}
    for path in input_files(paths, root):
        try:
            key = path.relative_to(root).as_posix()
        except ValueError:
            key = path.as_posix()
        out[key] = _sha256(path)
    return out


def is_up_to_date(paths: Paths, root: Path = ROOT) -> bool:
    """True when outputs/YEAR holds a complete report built from exactly the current inputs."""
    manifest = paths.output / MANIFEST
    if not manifest.is_file():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    products = [paths.output / name for name in recorded.get("outputs", [])]
    if not products or not all(p.is_file() for p in products):
        return False
    if not paths.processed.is_dir():
        return False
    return recorded.get("inputs") == fingerprint(paths, root)


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


# Test-only hook: LKJ_TEST_PAUSE=<point>[,<point>...] makes a run announce "LKJ_TEST_PAUSE
# <point>" on stderr and stop there (sleep) so that tests/test_interrupt.py can kill it at
# that exact moment. Points: "swap" (staging complete, nothing replaced yet); for each of
# "processed" (data/processed/YEAR) and "output" (outputs/YEAR), in that order, "mid-<name>"
# (the old folder renamed away, the new one not yet in place) and "after-<name>" (the new one
# in place, the old copy not yet removed). Never set outside tests.
TEST_PAUSE_ENV = "LKJ_TEST_PAUSE"


def _test_pause(point: str) -> None:
    wanted = os.environ.get(TEST_PAUSE_ENV, "")
    if point in wanted.split(","):
        print(f"LKJ_TEST_PAUSE {point}", file=sys.stderr, flush=True)
        time.sleep(3600)


def _old_copies(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".old-{target.name}-*"))


def _replace_dir(new: Path, target: Path, name: str = "") -> None:
    """Put ``new`` in the place of ``target`` (two renames; the old copy is removed last).

    An interruption between the two renames leaves ``target`` missing and the old copy as
    ``.old-<name>-<id>`` beside it; ``recover`` (run first by every run) puts it back.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.replace(target, old)
    _test_pause(f"mid-{name}")
    os.replace(new, target)
    _test_pause(f"after-{name}")
    shutil.rmtree(old, ignore_errors=True)


def _recover_dir(target: Path) -> None:
    """Undo what an interrupted ``_replace_dir`` of ``target`` left.

    If ``target`` is missing but an old copy exists, the run was killed between the two
    renames: the old copy is the last good one and is put back. Old copies are deleted only
    when ``target`` exists.
    """
    olds = _old_copies(target)
    if not olds:
        return
    if not target.exists():
        newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
        os.replace(newest, target)
        olds = [p for p in olds if p != newest]
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def recover(paths: Paths) -> None:
    """Bring outputs/YEAR and data/processed/YEAR back to a consistent state after a run was
    killed (power cut, SIGKILL, closed terminal): restore a report or processed folder left
    renamed away, and remove staging and old copies. Safe to call at any time when no other
    run of the same year is active; every run calls it first.
    """
    for target in (paths.output, paths.processed):
        if target.parent.is_dir():
            _recover_dir(target)
    _cleanup_stale(paths.output.parent, paths.year)


def _cleanup_stale(parent: Path, year: int) -> None:
    """Remove the staging folders an interrupted earlier run of ``year`` left."""
    if not parent.is_dir():
        return
    for stale in parent.glob(f".staging-{year}-*"):
        shutil.rmtree(stale, ignore_errors=True)


KERNEL_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",  # ipykernel, when papermill shuts the kernel down
)


@contextlib.contextmanager
def _kernel_stderr_filtered() -> Iterator[None]:
    """Pass the kernel's stderr through, minus ipykernel's transport warning (noise here)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            for line in capture.read().decode("utf-8", "replace").splitlines():
                if not any(noise in line for noise in KERNEL_NOISE):
                    print(line, file=sys.stderr)


def _failed_dir(parameters: dict) -> Path:
    """Where run_report keeps a failed run: outputs/.gagal-YEAR (beside the staging folder)."""
    return Path(parameters["OUTPUT_DIR"]).parent.parent / f".gagal-{parameters['YEAR']}"


def _execute(notebook: Path, target: Path, parameters: dict, kernel: str, root: Path) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        with _kernel_stderr_filtered():
            papermill.execute_notebook(
                str(notebook),
                str(target),
                parameters=parameters,
                kernel_name=kernel,
                cwd=str(root),
                progress_bar=False,
                log_output=False,
                report_mode=False,
            )
    except PapermillExecutionError as exc:
        if exc.ename in USER_ERRORS:
            raise LkjError(exc.evalue) from None
        raise LkjError(
            f"notebook {notebook.name} gagal di sel {exc.exec_count}: {exc.ename}: {exc.evalue}\n"
            f"(notebook yang gagal disimpan di {_failed_dir(parameters)})"
        ) from None


def _stable_cell_ids(executed: Path, synthetic: bool = False) -> None:
    """Give the cell papermill injects (``injected-parameters``) a fixed id.

    papermill creates it with a random id, which the report's HTML carries; with a fixed id
    two runs on the same data give the same report text. A notebook run on synthetic data is
    marked (metadata ``lkj.data_sintetis``): every page rendered from it says DATA SINTETIS.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    if synthetic:
        nb.metadata.setdefault("lkj", {})["data_sintetis"] = True
    nbformat.write(nb, executed)


def is_synthetic_data(processed: Path) -> bool:
    """True when the ingested instansi.csv says ``data_sintetis = ya`` (a demo agency)."""
    import csv

    path = Path(processed) / "instansi.csv"
    if not path.is_file():
        return False
    with path.open(encoding="utf-8", newline="") as handle:
        return any(
            row.get("kunci") == "data_sintetis" and (row.get("nilai") or "").strip() == "ya"
            for row in csv.DictReader(handle)
        )


def _render_html(executed: Path, target: Path, hide_code: bool) -> None:
    import nbformat

    from lkj.export import LkjHtmlExporter

    nb = nbformat.read(executed, as_version=4)
    body, _ = LkjHtmlExporter(hide_code=hide_code).from_notebook_node(nb)
    target.write_text(body, encoding="utf-8")


def _render_pdf(executed: Path, target: Path) -> None:
    import nbformat

    from lkj.export import LkjPdfExporter

    nb = nbformat.read(executed, as_version=4)
    pdf, _ = LkjPdfExporter().from_notebook_node(nb)
    target.write_bytes(pdf)


def _render_docx(paths: Paths, processed: Path, output: Path, target: Path) -> None:
    """The Word document: the same document model as the report notebook, rendered by
    lkj.word (not a conversion of the HTML)."""
    from lkj.word import write_report_docx

    write_report_docx(paths.year, processed, output, paths.config, paths.raw, target)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "babel"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out


def run_report(
    paths: Paths,
    force: bool = False,
    root: Path = ROOT,
    log: Callable[[str], None] = print,
) -> bool:
    """Build the report of ``paths.year`` unless it is already up to date.

    Args:
        paths: where inputs and outputs live.
        force: rebuild even if nothing changed.
        root: the repository (holds notebooks/ and lkj/).
        log: where progress lines go.

    Returns:
        True if a report was built, False if it was already up to date.

    Raises:
        LkjError: bad data or a failing step; outputs/YEAR and data/processed/YEAR are unchanged.
    """
    year = paths.year
    recover(paths)
    if not force and is_up_to_date(paths, root):
        log(f"Laporan {year} sudah mutakhir, tidak ada yang dikerjakan: {paths.output}")
        return False
    if not paths.raw.is_dir():
        raise LkjError(f"{paths.raw}: folder data mentah tahun {year} tidak ditemukan")
    books = notebooks(root)
    if not books:
        raise LkjError(f"{root / 'notebooks'}: tidak ada notebook NN_*.ipynb")

    inputs = fingerprint(paths, root)
    stage = paths.output.parent / f".staging-{year}-{uuid.uuid4().hex[:8]}"
    stage_out, stage_processed = stage / "report", stage / "processed"
    (stage_out / "notebooks").mkdir(parents=True)
    stage_processed.mkdir(parents=True)
    parameters = {
        "YEAR": year,
        "RAW_DIR": str(paths.raw_root),
        "PROCESSED_DIR": str(stage_processed),
        "OUTPUT_DIR": str(stage_out),
        "CONFIG": str(paths.config),
    }
    started = time.perf_counter()
    try:
        kernel = _kernel_name()
        for book in books:
            t0 = time.perf_counter()
            executed = stage_out / "notebooks" / book.name
            _execute(book, executed, parameters, kernel, root)
            _stable_cell_ids(executed, is_synthetic_data(stage_processed))
            _render_html(executed, executed.with_suffix(".html"), hide_code=False)
            log(f"  {book.name}: {time.perf_counter() - t0:.1f} s")
        report_nb = stage_out / "notebooks" / books[-1].name
        t0 = time.perf_counter()
        html_name, pdf_name = f"LKj_{year}.html", f"LKj_{year}.pdf"
        _render_html(report_nb, stage_out / html_name, hide_code=True)
        _render_pdf(report_nb, stage_out / pdf_name)
        docx_name = f"LKj_{year}.docx"
        _render_docx(paths, stage_processed, stage_out, stage_out / docx_name)
        log(f"  HTML + PDF + DOCX: {time.perf_counter() - t0:.1f} s")
        products = sorted(
            p.relative_to(stage_out).as_posix() for p in stage_out.rglob("*") if p.is_file()
        )
        manifest = {
            "year": year,
            "inputs": inputs,
            "outputs": products,
            "versions": _versions(),
        }
        (stage_out / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _test_pause("swap")
        _replace_dir(stage_processed, paths.processed, "processed")
        _replace_dir(stage_out, paths.output, "output")
    except BaseException:
        for target in (paths.output, paths.processed):  # e.g. Ctrl-C between two renames
            _recover_dir(target)
        failed = paths.output.parent / f".gagal-{year}"
        shutil.rmtree(failed, ignore_errors=True)
        if stage.exists():
            try:
                os.replace(stage, failed)
            except OSError:
                shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    log(
        f"Laporan {year} selesai dalam {time.perf_counter() - started:.1f} s:\n"
        f"  {paths.output / pdf_name}\n  {paths.output / html_name}\n  {paths.output / docx_name}"
    )
    sys.stdout.flush()
    return True
