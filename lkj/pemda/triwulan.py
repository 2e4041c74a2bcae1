"""The pemda's quarter: ``python -m lkj pemda --year 2022 --tw 2`` (``make pemda YEAR=2022 TW=2``).

Like the year's batch (``lkj.pemda.batch``), on Dask: the client reads the pemda's tables,
makes each OPD's plain-data task with its fingerprint (``lkj.pemda.fingerprint.make_task``, the
quarter in its settings) and sends those whose fingerprint changed since their last build
(``status.json`` of the quarter's folder) to the workers (``lkj.pemda.cluster``: a running
scheduler, else a LocalCluster). Each worker builds the OPD's evaluation of the quarter in a
temporary folder of its own (``lkj.pemda.triwulan_task.build_opd_quarter``) and returns it as
bytes with the OPD's line of the roll-up; the client puts each OPD's folder in place
atomically (outputs/pemda/<kode>/YEAR-twTW/opd/<kode_opd>/) and records it in status.json as
it comes back, so an interrupted run continues where it stopped (a lost scheduler stops the
run with one line, ``lkj.pemda.batch.SchedulerLost``, saying how many OPDs are kept). An
up-to-date OPD is not sent again: its recorded line is reused. Then the pemda's roll-up
(``lkj.document.triwulan.rkpd``: per OPD, warnings first, and per sasaran RPJMD) as
Evaluasi_RKPD_YEAR_TWq.html, .pdf, .docx, and index.html listing the OPDs, those with early
warnings first; the year's dashboard links the quarter (``lkj.pemda.dashboard``). An OPD
without quarterly data, or whose data is invalid, is listed with the reason; the others are
built. The command holds the pemda's lock for the year (``lkj.cli``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lkj.core.errors import LkjError
from lkj.data.workspace import OpdEntry, Workspace, list_opd, read_pemda
from lkj.pemda.fingerprint import ROOT, code_fingerprint, make_task
from lkj.pemda.install import _write_tree, report_complete
from lkj.pemda.opd_task import DATA, OK
from lkj.pemda.status import STATUS_FILE, load_status, write_json
from lkj.pemda.triwulan_task import EMPTY, SUB_COLUMNS, build_opd_quarter, quarter_task

ROW_NUMBERS = ("pagu_rp", "rp_sd", "serapan_pct", "capaian_fisik_pct")


@dataclass
class PemdaQuarter:
    """What the pemda's quarter built."""

    output: Path
    built: list[str] = field(default_factory=list)  # evaluated on the cluster this run
    reused: list[str] = field(default_factory=list)  # up to date: not sent again
    skipped: dict[str, str] = field(default_factory=dict)
    opd: pd.DataFrame | None = None  # the roll-up's rows (warnings first)

    @property
    def ok(self) -> bool:
        """No OPD failed (an OPD without quarterly data is not a failure)."""
        return not any(reason.startswith("gagal") for reason in self.skipped.values())


def quarter_folder(ws: Workspace, year: int, tw: int) -> Path:
    """outputs/pemda/<kode>/YEAR-twTW."""
    return ws.outputs / f"{year}-tw{tw}"


def _tasks(
    ws: Workspace, pemda: Any, year: int, tw: int, config: bytes
) -> tuple[dict[str, str], list[tuple[OpdEntry, dict]]]:
    """Each OPD's task (or the reason it has none: no data for the year)."""
    code = code_fingerprint(ROOT)
    shared = {pemda.lambang.name: pemda.lambang.read_bytes()} if pemda.lambang else {}
    cascade = pemda["sasaran_opd"]
    absent, tasks = {}, []
    for entry in list_opd(ws, pemda):
        if not entry.present:
            absent[entry.kode_opd] = f"tidak ada data {year}"
            continue
        task = make_task(entry, year, config, code, {"triwulan": tw}, shared)
        own = cascade[cascade["kode_opd"] == entry.kode_opd]
        records = own[["kode_opd", "kode_sasaran", "kode_sasaran_rpjmd"]].to_dict("records")
        tasks.append((entry, quarter_task(task, tw, entry.nama_opd, records)))
    return absent, tasks


def _reusable(rec: dict, task: dict, folder: Path, force: bool) -> bool:
    """The OPD's last outcome still holds: same fingerprint, and its evaluation in place
    (built) or a reason that the same data gives again (no quarters, invalid data)."""
    if force or rec.get("fingerprint") != task["fingerprint"]:
        return False
    if rec.get("status") == OK:
        return report_complete(folder)
    return rec.get("status") == EMPTY or rec.get("kind") == DATA


def _install(out: Path, result: dict) -> None:
    """Put one OPD's evaluation in place, atomically (``lkj.run.journal.replace_together``)."""
    import uuid

    from lkj.run.journal import replace_together

    kode = result["kode_opd"]
    token = uuid.uuid4().hex[:8]
    target = out / "opd" / kode
    stage = out / "opd" / f".staging-{kode}-{token}"
    _write_tree(result["outputs"], stage)
    replace_together([(stage, target, "output")], out / "opd" / f".journal-{kode}.json", token)


def _record(result: dict) -> dict:
    """What status.json keeps of an OPD's outcome (enough to reuse it without a rebuild)."""
    keep = ("fingerprint", "status", "kind", "error", "row", "sasaran", "worker", "seconds")
    return {k: result.get(k) for k in keep}


def _on_cluster(
    tasks: list[tuple[OpdEntry, dict]],
    out: Path,
    status: dict,
    scheduler: str | None,
    workers: int | None,
    log: Callable[[str], None],
) -> None:
    """Build ``tasks`` on Dask, installing and recording each as it comes back.

    Raises:
        SchedulerLost: the scheduler was lost (one line); what finished before is kept in
            status.json and the next run continues from there.
    """
    from concurrent.futures import CancelledError

    from distributed import as_completed

    from lkj.pemda import cluster
    from lkj.pemda.batch import SchedulerLost

    done = 0
    with cluster.dask_client(scheduler, workers, len(tasks), log) as client:
        futures = {
            client.submit(
                build_opd_quarter, task, key=f"lkj-tw-{entry.kode_opd}-{task['fingerprint'][:12]}"
            ): (entry, task)
            for entry, task in tasks
        }
        for future in as_completed(futures):
            entry, task = futures.pop(future)
            try:
                result = future.result()
            except (CancelledError, OSError) as exc:  # the scheduler lost: not the OPD's fault
                raise SchedulerLost(
                    f"hubungan ke scheduler Dask terputus ({type(exc).__name__}); {done} dari "
                    f"{len(tasks)} evaluasi OPD sudah selesai dan tersimpan (status.json); "
                    "jalankan perintah yang sama lagi untuk melanjutkan"
                ) from None
            except Exception as exc:  # the worker died too often (KilledWorker), a bug, ...
                result = {"kode_opd": entry.kode_opd, "status": "gagal", "kind": "crash",
                          "error": f"{type(exc).__name__}: {exc}"}  # fmt: skip
            result["fingerprint"] = task["fingerprint"]
            if result["status"] == OK:
                try:
                    _install(out, result)
                except (OSError, LkjError) as exc:  # e.g. a file open in another program
                    result.update(status="gagal", kind="crash", fingerprint=None,
                                  error=f"hasil tidak dapat disimpan: {exc}")  # fmt: skip
            status.setdefault("opd", {})[entry.kode_opd] = _record(result)
            write_json(out / STATUS_FILE, status)  # progress survives an interruption
            done += 1


def run_pemda_triwulan(
    ws: Workspace,
    year: int,
    tw: int,
    force: bool = False,
    log: Callable[[str], None] = print,
    scheduler: str | None = None,
    workers: int | None = None,
) -> PemdaQuarter:
    """Every OPD's evaluation of quarter ``tw`` on Dask (those up to date reused) and the
    pemda's roll-up.

    Args:
        ws: the workspace.
        year, tw: the quarter.
        force: rebuild every OPD.
        log: where progress lines go.
        scheduler: a Dask scheduler address (default: DASK_SCHEDULER_ADDRESS, else local).
        workers: worker processes of the local cluster.

    Raises:
        DataErrors: the pemda's own tables are invalid.
        LkjError: the scheduler cannot be reached.
    """
    from lkj.document.triwulan.rkpd import sasaran_frame

    if tw not in (1, 2, 3, 4):
        raise LkjError(f"--tw harus 1, 2, 3 atau 4, bukan {tw}")
    pemda = read_pemda(ws, year)
    out = quarter_folder(ws, year, tw)
    out.mkdir(parents=True, exist_ok=True)
    status = load_status(out / STATUS_FILE)
    if not isinstance(status.get("opd"), dict):
        status["opd"] = {}
    absent, tasks = _tasks(ws, pemda, year, tw, (ROOT / "config" / "lkj.toml").read_bytes())
    result = PemdaQuarter(out, skipped=dict(absent))
    todo = [
        (e, t)
        for e, t in tasks
        if not _reusable(status["opd"].get(e.kode_opd, {}), t, out / "opd" / e.kode_opd, force)
    ]
    if todo:
        log(f"Triwulan {tw} tahun {year}: {len(todo)} evaluasi OPD dibangun di Dask")
        _on_cluster(todo, out, status, scheduler, workers, log)
    sent = {e.kode_opd for e, _ in todo}
    rows, groups = [], []
    for entry, _task in tasks:
        rec = status["opd"].get(entry.kode_opd, {})
        if rec.get("status") != OK:
            result.skipped[entry.kode_opd] = _reason(rec)
            log(f"  {entry.kode_opd} {entry.nama_opd}: {result.skipped[entry.kode_opd]}")
            continue
        (result.built if entry.kode_opd in sent else result.reused).append(entry.kode_opd)
        rows.append(rec["row"])
        for g in rec["sasaran"]:
            sub = pd.DataFrame(g["sub"], columns=list(SUB_COLUMNS)).astype(float)
            groups.append(
                (entry.kode_opd, {"kode_sasaran_rpjmd": g["kode_sasaran_rpjmd"], "sub": sub})
            )
        warned = rec["row"]["peringatan_sub"] + rec["row"]["peringatan_indikator"]
        log(f"  {entry.kode_opd} {entry.nama_opd}: {warned} peringatan dini")
    opd = pd.DataFrame(rows)
    if len(opd):
        opd[list(ROW_NUMBERS)] = opd[list(ROW_NUMBERS)].astype(float)
        opd["_warned"] = opd["peringatan_sub"] + opd["peringatan_indikator"] > 0
        opd = opd.sort_values(["_warned", "kode_opd"], ascending=[False, True])
    result.opd = opd
    rpjmd = pemda["sasaran_rpjmd"]
    uraian = dict(zip(rpjmd["kode_sasaran_rpjmd"], rpjmd["uraian_sasaran_rpjmd"], strict=True))
    _write(out, year, tw, pemda, opd, sasaran_frame(groups, uraian), result)
    _refresh_year(ws, year)
    log(f"Evaluasi RKPD triwulan {tw} tahun {year}: {out}")
    return result


def _reason(rec: dict) -> str:
    """Why an OPD has no evaluation: "tanpa data triwulan", or "gagal: " and its first error
    (of several: how many more; status.json keeps them all)."""
    lines = [x for x in str(rec.get("error") or "").splitlines() if x.strip()] or ["?"]
    if rec.get("status") == EMPTY:
        return lines[0]
    if len(lines) > 1 and lines[0].endswith(":"):  # "2 kesalahan data ditemukan:"
        lines = lines[1:]
    more = f" (dan {len(lines) - 1} lainnya)" if len(lines) > 1 else ""
    return f"gagal: {lines[0].strip()}{more}"


def _refresh_year(ws: Workspace, year: int) -> None:
    """The year's dashboard, which links the quarters (when the year has one)."""
    from lkj.pemda.dashboard import refresh

    refresh(ws, year)


def _write(
    out: Path, year: int, tw: int, pemda: Any, opd: pd.DataFrame, sasaran: pd.DataFrame,
    result: PemdaQuarter,
) -> None:  # fmt: skip
    """The roll-up as HTML, PDF, DOCX and the index page."""
    from lkj.core.config import load_config
    from lkj.core.resources import ROOT
    from lkj.document.triwulan.rkpd import rkpd_document
    from lkj.pemda.index_page import relpath
    from lkj.pemda.link_page import link_index_html
    from lkj.render.page import report_page
    from lkj.render.to_docx import write_docx
    from lkj.render.to_html import html
    from lkj.render.to_pdf import render_pdf
    from lkj.run.triwulan import names

    dokumen = load_config(ROOT / "config" / "lkj.toml").dokumen
    nama = pemda.info("nama_pemda")
    doc = rkpd_document(year, tw, nama, pemda.synthetic, opd, sasaran)
    stem = f"Evaluasi_RKPD_{year}_TW{tw}"
    page, _ = report_page(
        [str(html(doc.blocks, dokumen=dokumen))], dokumen, pemda.synthetic, doc.title
    )
    (out / f"{stem}.html").write_text(page, encoding="utf-8")
    pdf = render_pdf(
        doc, dokumen, synthetic=pemda.synthetic, title=doc.title, signature_field=False
    )
    (out / f"{stem}.pdf").write_bytes(pdf)
    write_docx(doc, out / f"{stem}.docx", dokumen, synthetic=pemda.synthetic)
    index_rows = []
    for r in opd.to_dict("records"):
        folder = out / "opd" / r["kode_opd"]
        links = [(relpath(folder / n, out), n.rsplit(".", 1)[1].upper()) for n in names(year, tw)]
        warned = r["peringatan_sub"] + r["peringatan_indikator"]
        status = f"{warned} peringatan dini" if warned else "tanpa peringatan"
        index_rows.append({"kode_opd": r["kode_opd"], "nama_opd": r["nama_opd"],
                           "status": status, "links": links, "error": ""})  # fmt: skip
    for kode, reason in result.skipped.items():
        index_rows.append({"kode_opd": kode, "nama_opd": "", "status": reason, "links": [],
                           "error": reason if reason.startswith("gagal") else ""})  # fmt: skip
    page = link_index_html(
        f"{nama}: Evaluasi RKPD Triwulan {tw} Tahun {year}",
        pemda.synthetic,
        [(f"{stem}.{ext}", f"{stem}.{ext}") for ext in ("html", "pdf", "docx")],
        index_rows,
    )
    (out / "index.html").write_text(page, encoding="utf-8")
