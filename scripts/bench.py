"""Benchmark: where the time and the memory of a report go. Prints figures, asserts nothing.

Parts (all by default, in this order; ``--only`` picks some):

* ``stages``  the time of each stage, measured inside the floor (ingest, capaian, grafik with
  its savefig calls, report HTML, PDF and DOCX as the pipeline prints them (lkj.run.cetak: PDF by
  Typst, DOCX, one document) and each of the two alone, the HTML
  renders of the executed notebooks) and, from the pipeline's own log, each notebook's time.
* ``full``    ``python -m lkj report --year YEAR --force`` on a temporary copy of the data.
* ``noop``    the same command without ``--force`` right after (nothing changed).
* ``preview`` the preview after one narasi edit, once a ``preview`` command exists.
* ``floor``   the same work as the full report done by one plain Python process (no kernels,
  no papermill, no executed-notebook HTML).
* ``sweep``   the full report on synthetic data of 35, 350 and 1 400 sub kegiatan (the 2022
  structure with its sub kegiatan repeated under new codes, budgets varied around the real
  ones, ``data_sintetis = ya`` in instansi.csv).

Runs of ``full``, ``noop``, ``preview`` and ``floor`` are interleaved (one of each per round)
and the median of ``--repeat`` rounds is printed, so a load that comes and goes on a shared
machine spreads over all of them. Each command runs as a child process: wall time from the
clock, CPU time and peak memory from ``os.wait4`` (user + system time of the child and of the
descendants it waited for; ``ru_maxrss`` = the resident set of the LARGEST single process of
that tree, e.g. one Jupyter kernel, not their sum). Where psutil is installed the process tree
is also sampled every 0.2 s (largest single process and sum of all), a cross-check that the
kernels were counted. The load average is printed with the figures: compare figures taken
under similar load only.

    python scripts/bench.py --year 2022                       # everything (a few minutes)
    python scripts/bench.py --only stages,floor --repeat 1
    python scripts/bench.py --only sweep --sizes 35,350
    python scripts/bench.py --only sweep --sizes 1400 --sweep-stages   # floor stages at size

Outputs go to a temporary folder; outputs/ and data/ are not touched.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("stages", "full", "noop", "preview", "floor", "sweep")
DEFAULT_SIZES = (35, 350, 1400)
SYNTHETIC_KEY = "data_sintetis"
STAGES_MARK = "LKJ_BENCH_STAGES "


# --------------------------------------------------------------------------------------------
# Measuring one command


@dataclass
class Run:
    """One measured child process."""

    wall: float
    cpu: float | None = None  # user + system, child and its waited-for descendants
    maxrss_mb: float | None = None  # largest single process of the tree (wait4)
    sampled_max_mb: float | None = None  # psutil: largest single process seen
    sampled_sum_mb: float | None = None  # psutil: largest sum over the tree seen
    stdout: str = ""
    stages: dict = field(default_factory=dict)


class _TreeSampler(threading.Thread):
    """Samples the resident memory of a process and its descendants (psutil, if present)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.max_single = 0
        self.max_sum = 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = []
            for proc in procs:
                try:
                    rss.append(proc.memory_info().rss)
                except psutil.Error:
                    pass
            if rss:
                self.max_single = max(self.max_single, max(rss))
                self.max_sum = max(self.max_sum, sum(rss))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=2)


def _env() -> dict[str, str]:
    """The children import lkj from the tree this script lives in (not an installed copy),
    so a copy of an older commit can be measured with the same virtual environment."""
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def measure(cmd: list[str], cwd: Path = ROOT, sample: bool = True) -> Run:
    """Run ``cmd`` to completion and measure it; raise if it fails."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=_env())
        sampler = _TreeSampler(proc.pid) if sample else None
        if sampler:
            sampler.start()
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            maxrss = usage.ru_maxrss / 1024  # kB on Linux
            if sys.platform == "darwin":
                maxrss /= 1024  # bytes on macOS
        else:  # Windows: no rusage
            proc.wait()
            cpu = maxrss = None
        wall = time.perf_counter() - started
        if sampler:
            sampler.stop()
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench: command failed ({proc.returncode}): {' '.join(cmd)}\n{text}")
    run = Run(wall=wall, cpu=cpu, maxrss_mb=maxrss, stdout=text)
    if sampler and sampler.max_single:
        run.sampled_max_mb = sampler.max_single / 2**20
        run.sampled_sum_mb = sampler.max_sum / 2**20
    for line in text.splitlines():
        if line.startswith(STAGES_MARK):
            run.stages = json.loads(line[len(STAGES_MARK) :])
    return run


def machine_speed() -> float:
    """Seconds a fresh Python takes to import pandas, matplotlib.pyplot and nbconvert now:
    the machine's speed of the moment for this kind of work (a report is half imports),
    printed beside the figures. A virtual machine's drifts: on the build machine the same
    commit's full report took 7.0-9.7 s within ten minutes."""
    probe = "import pandas, matplotlib.pyplot, nbconvert"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", probe], check=True, env=_env())
    return time.perf_counter() - started


def load() -> str:
    """The load average now (1, 5, 15 min), or '?' where the OS has none."""
    try:
        return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except (AttributeError, OSError):
        return "?"


# --------------------------------------------------------------------------------------------
# The floor: the report's work in one plain Python process, stage by stage


class _Clock:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.notes: dict[str, object] = {}

    def add(self, name: str, seconds: float) -> None:
        self.times[name] = self.times.get(name, 0.0) + seconds

    def stage(self, name: str):  # noqa: ANN201
        clock = self

        class _Ctx:
            def __enter__(self) -> None:
                self.t0 = time.perf_counter()

            def __exit__(self, *exc: object) -> None:
                clock.add(name, time.perf_counter() - self.t0)

        return _Ctx()


def _wrap_timed(  # noqa: ANN202
    owner: object,
    attr: str,
    clock: _Clock,
    name: str,
    key=None,  # noqa: ANN001
    on_result=None,  # noqa: ANN001
):
    """Replace ``owner.attr`` by a wrapper adding its time to ``clock`` (name or key(args))."""
    original = getattr(owner, attr)

    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        t0 = time.perf_counter()
        try:
            result = original(*args, **kwargs)
            if on_result:
                on_result(result)
            return result
        finally:
            label = key(args, kwargs) if key else name
            clock.add(label, time.perf_counter() - t0)
            clock.counts[label] += 1

    setattr(owner, attr, wrapper)


def _savefig_format(args: tuple, kwargs: dict) -> str:
    target = args[1] if len(args) > 1 else kwargs.get("fname", "")
    suffix = Path(str(target)).suffix.lstrip(".") or kwargs.get("format") or "?"
    return f"grafik: savefig {suffix}"


def _pages(pdf: bytes) -> int | str:
    try:
        import pypdf
    except ImportError:
        return "?"
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def floor(year: int, raw_root: Path, out: Path, notebooks_dir: Path | None = None) -> _Clock:
    """Build the report of ``year`` into ``out`` without notebooks, timing each stage.

    Args:
        year: the report year.
        raw_root: folder of the year folders.
        out: output folder (processed tables go to ``out/processed``).
        notebooks_dir: executed notebooks of a full run; their reviewer HTML renders are timed.

    Returns:
        The stage times.
    """
    clock = _Clock()
    with clock.stage("imports"):
        import matplotlib.figure
        import nbformat
        from nbformat.v4 import new_code_cell, new_notebook, new_output

        from lkj.analysis.capaian import compute_results
        from lkj.core.config import load_config
        from lkj.data.ingest import read_raw
        from lkj.data.processed import write_tables
        from lkj.document import laporan
        from lkj.render import laporan_html
        from lkj.render.notebook_export import LkjHtmlExporter
        from lkj.render.to_docx import write_docx
        from lkj.render.to_pdf import render_pdf
        from lkj.run.cetak import write_print_outputs

    _wrap_timed(matplotlib.figure.Figure, "savefig", clock, "", key=_savefig_format)

    processed = out / "processed"
    with clock.stage("ingest"):
        raw = read_raw(year, raw_root)
        write_tables(raw.tables, processed)
    with clock.stage("capaian"):
        results = compute_results(raw.tables, year, load_config())
        write_tables(results.tables(), processed)
    with clock.stage("report data (load_report_data)"):
        d = laporan.load_report_data(year, processed, out, None, raw_root / str(year))
    with clock.stage("grafik (draw_figures, total)"):
        saved = laporan.draw_figures(d)
    clock.notes["figures"] = len(saved)
    with clock.stage("report parts (laporan)"):
        nb = new_notebook()
        nb.metadata["lkj"] = {"title": f"Laporan Kinerja {year}"}
        for part in laporan_html.report_parts(d):
            cell = new_code_cell("")
            cell.outputs = [new_output("display_data", data={"text/html": str(part)})]
            nb.cells.append(cell)
        nbformat.validate(nb)
    with clock.stage("report HTML (nbconvert lkj_html)"):
        html, _ = LkjHtmlExporter(hide_code=True).from_notebook_node(nb)
        (out / f"LKj_{year}.html").write_text(html, encoding="utf-8")
    clock.notes["html_mb"] = round(len(html.encode()) / 2**20, 2)
    with clock.stage("PDF + DOCX (lkj.run.cetak, as the pipeline)"):
        write_print_outputs(
            year,
            processed,
            out,
            None,
            raw_root / str(year),
            None,
            out / f"LKj_{year}.pdf",
            out / f"LKj_{year}.docx",
            out / "lampiran",
        )
    pdf = (out / f"LKj_{year}.pdf").read_bytes()
    clock.notes["pdf_pages"] = _pages(pdf)
    clock.notes["pdf_mb"] = round(len(pdf) / 2**20, 2)
    document = laporan.report_document(d)
    with clock.stage("PDF by Typst alone (render_typst)"):
        render_pdf(document, d.config.dokumen)
    with clock.stage("DOCX alone (lkj.render.to_docx)"):
        write_docx(document, out / "b.docx", d.config.dokumen)
    if notebooks_dir:
        for book in sorted(Path(notebooks_dir).glob("*.ipynb")):
            with clock.stage(f"notebook render: {book.name}"):
                executed = nbformat.read(book, as_version=4)
                LkjHtmlExporter(hide_code=False).from_notebook_node(executed)
    return clock


# --------------------------------------------------------------------------------------------
# Synthetic data of any size, from a real year's structure


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _amount(value: str, factor: Decimal) -> str:
    if not value.strip():
        return value
    return str((Decimal(value) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def synthetic_year(src: Path, dst: Path, size: int, seed: int = 11) -> None:
    """Write a synthetic copy of the year folder ``src`` with ``size`` sub kegiatan to ``dst``.

    The sub kegiatan of ``src`` are repeated in turn (the first ``size`` of the sequence
    original, copy 2, copy 3, ...), each copy under a new code in the same kegiatan
    (``01.04.07`` after ``01.04.01``..``01.04.06``) and named "... (paket N)". Budgets are the
    original's times a factor in [0.6, 1.4] drawn per row (seeded: the same data every time),
    rounded to 1 000 rupiah; realisasi keeps the original's ratio to the budget; targets and
    realisasi fisik are kept. The LRA is scaled by the change of the budget total so that it
    stays close to the sum of the sub kegiatan. Everything else is copied. instansi.csv gets
    ``data_sintetis = ya``, and SINTETIS.md says how the folder was made.

    Args:
        src: a real year folder, e.g. data/raw/2022.
        dst: the folder to write (created; must not exist).
        size: the number of sub kegiatan wanted (at least 1).
        seed: the random seed of the budget factors.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    shutil.copytree(src, dst)
    columns, subs = _read_csv(src / "sub_kegiatan.csv")
    per_kegiatan: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in subs:
        per_kegiatan[row["kode_kegiatan"]].append(row)
    rng = random.Random(seed)
    chosen: list[tuple[int, dict[str, str]]] = [
        (i // len(subs), subs[i % len(subs)]) for i in range(size)
    ]
    out_rows: list[dict[str, str]] = []
    old_total = sum(Decimal(r["anggaran_rp"] or 0) for r in subs)
    for copy, row in sorted(chosen, key=lambda c: (c[1]["kode_kegiatan"], c[0])):
        new = dict(row)
        if copy:
            siblings = per_kegiatan[row["kode_kegiatan"]]
            number = copy * len(siblings) + siblings.index(row) + 1
            new["kode_sub_kegiatan"] = f"{row['kode_kegiatan']}.{number:02d}"
            new["nama_sub_kegiatan"] = f"{row['nama_sub_kegiatan']} (paket {copy + 1})"
            factor = Decimal(rng.randint(60, 140)) / 100
            budget = Decimal(row["anggaran_rp"] or 0)
            new_budget = (budget * factor / 1000).quantize(Decimal(1), ROUND_HALF_UP) * 1000
            new["anggaran_rp"] = str(new_budget) if row["anggaran_rp"] else ""
            if row["realisasi_anggaran_rp"] and budget:
                ratio = Decimal(row["realisasi_anggaran_rp"]) / budget
                new["realisasi_anggaran_rp"] = _amount(str(new_budget), ratio)
        out_rows.append(new)
    for number, row in enumerate(out_rows, start=1):
        if "no_seed" in row:
            row["no_seed"] = str(number)
    _write_csv(dst / "sub_kegiatan.csv", columns, out_rows)

    new_total = sum(Decimal(r["anggaran_rp"] or 0) for r in out_rows)
    if (dst / "lra.csv").is_file() and old_total:
        lra_cols, lra = _read_csv(dst / "lra.csv")
        scale = new_total / old_total
        for row in lra:
            for col in ("anggaran_rp", "realisasi_rp"):
                row[col] = _amount(row[col], scale)
        _write_csv(dst / "lra.csv", lra_cols, lra)

    inst_cols, inst = _read_csv(dst / "instansi.csv")
    inst = [r for r in inst if r["kunci"] != SYNTHETIC_KEY]
    inst.append({"kunci": SYNTHETIC_KEY, "nilai": "ya"})
    _write_csv(dst / "instansi.csv", inst_cols, inst)
    (dst / "SINTETIS.md").write_text(
        f"# DATA SINTETIS\n\nMade by scripts/bench.py from {src.name}: its {len(subs)} sub "
        f"kegiatan repeated to {size} under new codes, budgets x [0.6, 1.4] (seed {seed}), "
        "LRA scaled to the new budget total. For benchmarks only: not an agency's data.\n",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------------------------
# Report commands on a temporary copy


@dataclass
class Workspace:
    """A temporary raw root holding a copy of the year (and earlier years), and output paths."""

    tmp: Path
    year: int

    @property
    def raw_root(self) -> Path:
        return self.tmp / "raw"

    def report_cmd(self, *extra: str, command: str = "report") -> list[str]:
        return [
            sys.executable,
            "-m",
            "lkj",
            command,
            "--year",
            str(self.year),
            "--raw",
            str(self.raw_root),
            "--processed",
            str(self.tmp / "processed"),
            "--output",
            str(self.tmp / "out" / str(self.year)),
            *extra,
        ]

    def floor_cmd(self, name: str, notebooks: Path | None = None) -> list[str]:
        cmd = [sys.executable, __file__, "--year", str(self.year), "--raw", str(self.raw_root)]
        cmd += ["--floor-only", str(self.tmp / name)]
        if notebooks:
            cmd += ["--notebooks", str(notebooks)]
        return cmd


def copy_workspace(tmp: Path, year: int, size: int | None = None) -> Workspace:
    """Copy data/raw/YEAR and earlier years into ``tmp/raw`` (YEAR synthetic if ``size``)."""
    src_root = ROOT / "data" / "raw"
    (tmp / "raw").mkdir(parents=True)
    for d in sorted(src_root.iterdir()):
        if d.is_dir() and d.name.isdigit() and int(d.name) < year:
            shutil.copytree(d, tmp / "raw" / d.name)
    if size is None:
        shutil.copytree(src_root / str(year), tmp / "raw" / str(year))
    else:
        synthetic_year(src_root / str(year), tmp / "raw" / str(year), size)
    return Workspace(tmp, year)


def preview_available() -> bool:
    """True once ``python -m lkj preview`` exists."""
    probe = [sys.executable, "-m", "lkj", "preview", "--help"]
    return subprocess.run(probe, cwd=ROOT, capture_output=True, env=_env()).returncode == 0


def edit_narasi(ws: Workspace, round_no: int) -> None:
    """Append one sentence to one narasi file of the workspace (what an analyst does)."""
    narasi = sorted((ws.raw_root / str(ws.year) / "narasi").glob("bab*.md"))
    if narasi:
        with narasi[0].open("a", encoding="utf-8") as handle:
            handle.write(f"\nKalimat suntingan uji kecepatan nomor {round_no}.\n")


_STEP_LINE = re.compile(r"^\s+([^:]+):\s*([\d.]+)\s*s\s*$")


def pipeline_steps(log: str) -> dict[str, float]:
    """Per-step seconds the pipeline printed ("  01_ingest.ipynb: 3.1 s", "  HTML + PDF: ...")."""
    steps = {}
    for line in log.splitlines():
        if m := _STEP_LINE.match(line):
            name = m.group(1).strip()
            label = f"papermill + render {name}" if name.endswith(".ipynb") else name
            steps[label] = float(m.group(2))
    return steps


# --------------------------------------------------------------------------------------------
# Printing


def _med(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _f(value: float | None, spec: str = "6.2f") -> str:
    return "     -" if value is None else format(value, spec)


def _runs(values: list[float | None]) -> str:
    return " ".join("-" if v is None else f"{v:.2f}" for v in values)


def print_run_line(label: str, runs: list[Run]) -> None:
    wall = [r.wall for r in runs]
    print(
        f"  {label:<44} wall {_f(_med(wall))} s  cpu {_f(_med([r.cpu for r in runs]))} s  "
        f"peak {_f(_med([r.maxrss_mb for r in runs]), '6.0f')} MB   runs: {_runs(wall)}"
    )


def print_stages(floors: list[Run], fulls: list[Run]) -> None:
    names: list[str] = []
    for run in floors:
        for name in run.stages.get("times", {}):
            if name not in names:
                names.append(name)
    print("\nStages inside the floor (one plain Python process), median seconds:")
    for name in names:
        values = [r.stages["times"].get(name) for r in floors]
        counts = [r.stages.get("counts", {}).get(name) for r in floors]
        count = f"  ({counts[0]} calls)" if counts and counts[0] else ""
        print(f"  {name:<44} {_f(_med(values))}{count}")
    if floors and floors[0].stages.get("notes"):
        notes = floors[0].stages["notes"]
        print("  " + ", ".join(f"{k} {v}" for k, v in notes.items()))
    steps: dict[str, list[float]] = defaultdict(list)
    for run in fulls:
        for name, value in pipeline_steps(run.stdout).items():
            steps[name].append(value)
    if steps:
        print("Steps of the full report, as the pipeline logs them (median seconds):")
        for name, values in steps.items():
            print(f"  {name:<44} {_f(_med(values))}")


def print_sweep(rows: list[tuple[int, list[Run]]]) -> None:
    print("\nSize sweep (synthetic data, DATA SINTETIS), full report with --force:")
    print(
        f"  {'sub kegiatan':>12}  {'wall s':>7}  {'cpu s':>7}  {'peak MB':>8}  "
        f"{'sampled max/sum MB':>19}  runs"
    )
    for size, runs in rows:
        smax = _med([r.sampled_max_mb for r in runs]) or 0
        ssum = _med([r.sampled_sum_mb for r in runs]) or 0
        sampled = f"{smax:7.0f} /{ssum:6.0f}"
        print(
            f"  {size:>12}  {_f(_med([r.wall for r in runs]), '7.1f')}  "
            f"{_f(_med([r.cpu for r in runs]), '7.1f')}  "
            f"{_f(_med([r.maxrss_mb for r in runs]), '8.0f')}  {sampled:>19}  "
            f"{_runs([r.wall for r in runs])}"
        )
    wall = {size: _med([r.wall for r in runs]) for size, runs in rows}
    cpu = {size: _med([r.cpu for r in runs]) for size, runs in rows}
    sizes = sorted(wall)
    for small, big in zip(sizes, sizes[1:], strict=False):
        per = (wall[big] - wall[small]) / (big - small) * 1000
        line = f"  each extra sub kegiatan {small} -> {big}: {per:.0f} ms wall"
        if cpu[big] is not None and cpu[small] is not None:
            line += f", {(cpu[big] - cpu[small]) / (big - small) * 1000:.0f} ms CPU"
        print(line)
    for size, runs in rows:
        if runs and runs[0].stages:
            print(
                f"  floor stages at {size}: "
                + ", ".join(f"{k} {v:.1f}" for k, v in runs[0].stages["times"].items() if v >= 0.05)
            )


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of full/noop/floor")
    parser.add_argument("--only", default=",".join(PARTS), help=f"some of {','.join(PARTS)}")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="sub kegiatan counts of the sweep",
    )
    parser.add_argument("--sweep-repeat", type=int, default=1, help="runs per sweep size")
    parser.add_argument(
        "--sweep-stages", action="store_true", help="also run the floor at each sweep size"
    )
    parser.add_argument("--preview", action="store_true", help="same as adding preview to --only")
    parser.add_argument("--floor-only", metavar="OUT", help=argparse.SUPPRESS)
    parser.add_argument("--raw", help=argparse.SUPPRESS)
    parser.add_argument("--notebooks", help=argparse.SUPPRESS)
    parser.add_argument("--synthetic", nargs=2, metavar=("SIZE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.floor_only:
        raw_root = Path(args.raw) if args.raw else ROOT / "data" / "raw"
        notebooks = Path(args.notebooks) if args.notebooks else None
        clock = floor(args.year, raw_root, Path(args.floor_only), notebooks)
        payload = {"times": clock.times, "counts": dict(clock.counts), "notes": clock.notes}
        print(STAGES_MARK + json.dumps(payload))
        return
    if args.synthetic:  # write a synthetic year folder, e.g. to look at it
        size, target = int(args.synthetic[0]), Path(args.synthetic[1])
        synthetic_year(ROOT / "data" / "raw" / str(args.year), target, size)
        print(f"{target}: {size} sub kegiatan (DATA SINTETIS)")
        return

    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if args.preview:
        parts.add("preview")
    unknown = parts - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {PARTS}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    print(
        f"lkj benchmark, year {args.year}, python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average at start {load()}, "
        f"machine speed (python -c 'import pandas, matplotlib.pyplot, nbconvert') "
        f"{machine_speed():.2f} s"
    )
    fulls: list[Run] = []
    noops: list[Run] = []
    previews: list[Run] = []
    floors: list[Run] = []
    has_preview = "preview" in parts and preview_available()
    rounds = parts & {"stages", "full", "noop", "preview", "floor"}
    if rounds:
        with tempfile.TemporaryDirectory(prefix="lkj-bench-") as tmp:
            ws = copy_workspace(Path(tmp), args.year)
            executed = ws.tmp / "out" / str(args.year) / "notebooks"
            for i in range(args.repeat):
                if parts & {"full", "noop", "preview", "stages"}:
                    fulls.append(measure(ws.report_cmd("--force")))
                if "noop" in parts:
                    noops.extend(measure(ws.report_cmd(), sample=False) for _ in range(3))
                if has_preview:
                    edit_narasi(ws, i)
                    previews.append(measure(ws.report_cmd(command="preview")))
                if parts & {"floor", "stages"}:
                    notebooks = executed if executed.is_dir() else None
                    floors.append(measure(ws.floor_cmd(f"floor{i}", notebooks)))
        print(
            f"\nReport of {args.year}, median of {args.repeat} interleaved rounds "
            f"(load average now {load()}):"
        )
        if fulls and parts & {"full", "stages"}:
            print_run_line("full report (notebooks, papermill, nbconvert)", fulls)
        if noops:
            print_run_line("no-op rerun (nothing changed)", noops)
        if "preview" in parts:
            if has_preview:
                print_run_line("preview after one narasi edit", previews)
            else:
                print("  preview after one narasi edit: not available yet (no `lkj preview`)")
        if floors:
            print_run_line("floor (same work, plain Python)", floors)
            if fulls:
                ratio = _med([r.wall for r in fulls]) / _med([r.wall for r in floors])
                print(f"  overhead ratio full / floor: {ratio:.2f}x")
        if "stages" in parts:
            print_stages(floors, fulls)

    if "sweep" in parts:
        rows: list[tuple[int, list[Run]]] = []
        for size in sizes:
            runs = []
            with tempfile.TemporaryDirectory(prefix=f"lkj-bench-{size}-") as tmp:
                ws = copy_workspace(Path(tmp), args.year, size)
                for _ in range(args.sweep_repeat):
                    runs.append(measure(ws.report_cmd("--force")))
                if args.sweep_stages:
                    runs[0].stages = measure(ws.floor_cmd("floor")).stages
            rows.append((size, runs))
            print(f"  ... {size} sub kegiatan done (load average {load()})", flush=True)
        print_sweep(rows)
    print(
        f"\nload average at end {load()}, machine speed {machine_speed():.2f} s "
        "(compare figures taken at similar speeds)"
    )


if __name__ == "__main__":
    main()
