"""The stages of one run, built in its staging folder, and the print job beside them.

:class:`_Build` makes the staging folder (.staging-YEAR-RUN beside outputs/YEAR), then takes
the notebooks in order: each stage's outputs are reused from the last good report when its key
still matches (``lkj.run.stages``), or its notebook is run on its lane's kernel
(``lkj.run.kernels``, ``lkj.run.notebooks``). Background threads work beside the kernels: the
reviewers' HTML of each executed notebook, the print job (``lkj.run.handover``,
``lkj.run.cetak``: the report's document, then its PDF, DOCX and page), and the grafik
notebook beside the report notebook (:data:`BESIDE`). ``lkj.run.report`` puts the result in
place.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from lkj.document.files import PRINT_DOCUMENT
from lkj.run.handover import (
    _close_prepared,
    _cover,
    _HandOver,
    _hands_over,
    _pass_on,
    _prepare_print,
    _print_imports,
    _write_print,
    is_synthetic_data,
)
from lkj.run.journal import _test_pause
from lkj.run.kernel_pool import active_pool
from lkj.run.kernels import _Kernel, _Kernels, _lane
from lkj.run.notebooks import (
    _clean_executed,
    _execute,
    _html_exporter,
    _render_linked,
    _shown_paths,
    _write_rendered,
)
from lkj.run.paths import Paths, _stage_name, fingerprint
from lkj.run.stages import (
    _classify,
    _digest,
    _done,
    _files_under,
    _module_keys,
    _previous_run,
    _reuse_stage,
    _stage_key,
    _StageContext,
    _stages_to_run,
)

REPORT_STAGES = ("grafik", "laporan")
BESIDE = {"grafik": ("report/figures/",)}
"""Stages run beside the next one, with the folders their outputs are in: the next stage
writes files meanwhile too, so a stage run beside counts as its outputs only the new files in
these folders (grafik: its figures); the next stage counts the rest."""
STAGE_PARAMETERS = {"laporan": {"FIGURES_LINKED": True}}


class _Build:
    """One run's report, built in its staging folder (.staging-YEAR-RUN beside outputs/YEAR).

    Making it takes the inputs' fingerprint, makes the staging folder and the context of the
    stage keys (:class:`_StageContext`); :meth:`run` then runs or reuses each stage in order,
    the print job beside them. ``lkj.run.report`` writes the manifest from what it recorded
    (``inputs``, ``records``, ``interpreters``) and puts the staged folders in place.
    """

    def __init__(
        self,
        paths: Paths,
        root: Path,
        log: Callable[[str], None],
        dokumen: Any,
        books: list[Path],
        settings: dict,
        reuse: bool,
    ) -> None:
        year = paths.year
        self.paths, self.root, self.log, self.dokumen, self.books = paths, root, log, dokumen, books
        self.settings = settings
        self.inputs = fingerprint(paths, root, settings)
        self.run_id = run = uuid.uuid4().hex
        parent, name = paths.output.parent, paths.output.name
        self.stage = stage = parent / f".staging-{name}-{run[:8]}"
        self.failed = parent / f".gagal-{name}"
        self.stage_out, self.stage_processed = stage / "report", stage / "processed"
        (self.stage_out / "notebooks").mkdir(parents=True)
        self.stage_processed.mkdir(parents=True)
        self.parameters = {
            "YEAR": year,
            "RAW_DIR": str(paths.raw_root),
            "PROCESSED_DIR": str(self.stage_processed),
            "OUTPUT_DIR": str(self.stage_out),
            "CONFIG": str(paths.config),
        }
        self.shown = _shown_paths(paths, root)
        self.ctx = _StageContext(self.inputs, _classify(paths, root), self.shown, year, root)
        self.prev = _previous_run(paths) if reuse else None
        self.names = f"LKj_{year}.html", f"LKj_{year}.pdf", f"LKj_{year}.docx"
        self.background: list[Future] = []
        self.prepared: Future | None = None
        self.hand = _HandOver(self.stage_processed / PRINT_DOCUMENT)
        self.interpreters: set = set()
        self.upstream: dict[str, Any] = {}
        self.records: dict[str, dict] = {}
        self.ran: list[str] = []
        self.reused: list[str] = []
        self.exporter_lock = threading.Lock()
        self.exporters: list = []
        # A notebook whose stage runs while another still draws the figures it links is
        # rendered at once (rendered[path]: a future of its page, figures linked); its page
        # is written, the figures carried in, in the stages' order.
        self.rendered: dict[Path, Future] = {}
        # A stage of BESIDE runs in a thread of its own beside the next stage (the report
        # notebook links the figures the grafik stage draws meanwhile); the stages are
        # recorded, logged and rendered in their order all the same.
        self.beside: list[tuple[int, Path, Future]] = []
        self.claimed: set[str] = set()  # files already counted as a stage's outputs

    def run(self) -> tuple[Any, float]:
        """Run (or reuse) every stage, then wait for the print job; returns the cover's data
        and when the wait for the print job began."""
        from concurrent.futures import ThreadPoolExecutor

        # Background threads work beside the kernels (the main thread only waits for them
        # while a notebook runs): one renders the reviewers' HTML of each executed notebook,
        # one builds the report's document, then its PDF (in a child process), DOCX and page,
        # and one runs the grafik notebook beside the report notebook. Threads, not
        # processes: a Dask worker (daemonic) may run this.
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="lkj-render") as pool,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="lkj-print") as printer,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="lkj-stage") as stager,
        ):
            self.pool, self.printer, self.stager = pool, printer, stager
            self.kernels = _Kernels(self.root, pool=active_pool())
            failed = False
            try:
                for name in _stages_to_run(self.prev, self.ctx, self.books):  # kernels first
                    self.kernels.launch(name)
                for index, book in enumerate(self.books):
                    self._stage(index, book)
                self.finish_beside()
                self.hand.settle()
                self.log(
                    f"  tahap dijalankan: {', '.join(self.ran) or '-'}; dipakai ulang: "
                    f"{', '.join(self.reused) or '-'}"
                )
                t0 = time.perf_counter()
                cover = _cover(self.paths, self.stage_processed, self.dokumen)
                for note in cover.notes:
                    self.log(f"  Catatan: {note}")
                for job in self.background:
                    job.result()
                for record in self.records.values():
                    record["digest"] = _done({"": record["digest"]})[""]
            except BaseException:
                failed = True
                self.hand.abort()
                for job in self.background:
                    job.cancel()
                if self.prepared is not None:  # its PDF child process is not needed
                    self.prepared.add_done_callback(_close_prepared)
                raise
            finally:
                self.kernels.shutdown(failed)
        return cover, t0

    def _stage(self, index: int, book: Path) -> None:
        """One stage, in the stages' order: the print job started when its turn comes, then
        the stage's outputs reused, or its notebook run."""
        last = index == len(self.books) - 1
        stage_name = _stage_name(book)
        _test_pause(f"stage-{stage_name}")
        self._start_print(stage_name, last)
        if self._reuse(book, stage_name, last):
            return
        self._run_notebook(index, book, stage_name, last)

    def _start_print(self, stage_name: str, last: bool) -> None:
        """The print job's steps, submitted when the stages reach them: the report's document
        (once the tables are there), its PDF, DOCX and page (at the last stage)."""
        stage_out = self.stage_out
        html_name, pdf_name, docx_name = self.names
        if self.prepared is None and (stage_name in REPORT_STAGES or last):
            # The tables are there: the report's document is built now, beside
            # the figures being drawn (lkj.run.cetak.prepare_print).
            self.prepared = self.printer.submit(
                _prepare_print,
                self.paths,
                self.stage_processed,
                stage_out,
                self.stage / "lampiran",
                self.dokumen,
                self.hand.reported,
            )
            self.background.append(self.prepared)
        if last:
            # PDF (Typst), DOCX and HTML page from that one document, once the
            # figures are drawn, while the report notebook runs (it shows the
            # same parts).
            if not self.beside and not self.hand.figures.done():
                self.hand.figures.set_result(None)  # none are being drawn
            self.background.append(
                self.printer.submit(
                    _write_print,
                    self.prepared,
                    (
                        stage_out / pdf_name,
                        stage_out / docx_name,
                        stage_out / html_name,
                    ),
                    (self.hand.figures, self.hand.report_done),
                )
            )

    def _reuse(self, book: Path, stage_name: str, last: bool) -> bool:
        """Copy the stage's outputs from the last good report when its key still matches;
        True when they were."""
        record = (self.prev or {}).get("stages", {}).get(stage_name)
        if isinstance(record, dict) and not last:
            key = _stage_key(
                self.ctx, stage_name, book, last, record.get("modules"), _done(self.upstream)
            )
            digest = (
                _reuse_stage(self.paths, record, self.stage) if key == record.get("key") else None
            )
            if digest is not None:
                self.interpreters.add(sys.executable)
                self.records[stage_name] = record
                self.upstream[stage_name] = digest
                self.reused.append(stage_name)
                if stage_name == "laporan":
                    self.hand.reused()
                self.log(f"  {book.name}: tidak berubah, dipakai ulang dari laporan sebelumnya")
                return True
        return False

    def _run_notebook(self, index: int, book: Path, stage_name: str, last: bool) -> None:
        """Run the stage's notebook on its lane's kernel (a stage of BESIDE: in a thread of its
        own, finished after the next one), then record it (:meth:`finish`)."""
        kernel = self.kernels.launch(stage_name)
        for later in self.books[index + 1 :]:  # their kernels start (and import) now
            self.kernels.launch(_stage_name(later))
        params = {**self.parameters, **STAGE_PARAMETERS.get(stage_name, {})}
        if stage_name == "laporan" and not _hands_over(book):
            self.hand.not_handed()  # the print job builds the document now
        if stage_name in BESIDE and not last:
            running = self.stager.submit(self.run_stage, book, kernel, params)
            running.add_done_callback(lambda done: _pass_on(done, self.hand.figures))
            self.beside.append((index, book, running))
            return
        try:
            outcome = self.run_stage(book, kernel, params)
            if stage_name == "laporan":  # its document, workbook: all written
                self.hand.report_ran()
            if self.beside:  # its page now, while the figures are being drawn
                executed = self.stage_out / "notebooks" / book.name
                self.rendered[executed] = self.pool.submit(
                    lambda path=executed: _render_linked(path, exporter=self.exporter())
                )
        except BaseException:
            for _, _, running in self.beside:  # an earlier stage's failure first
                if running.exception() is not None:
                    raise running.exception() from None
            raise
        self.finish_beside()
        self.finish(index, book, outcome)
        if index == 0:  # the print job's modules, once the data kernel is up
            self.background.append(self.printer.submit(_print_imports))

    def exporter(self) -> Any:
        """The HTML exporter of the reviewers' pages (one, reused)."""
        with self.exporter_lock:  # made once, in the background thread, and reused
            if not self.exporters:
                self.exporters.append(_html_exporter(hide_code=False))
        return self.exporters[0]

    def render_notebook(self, executed: Path) -> str:
        """Write the HTML page of an executed notebook beside it (rendered early or now)."""
        early = self.rendered.pop(executed, None)
        body = (
            early.result()
            if early is not None
            else _render_linked(executed, exporter=self.exporter())
        )
        return _write_rendered(body, executed, executed.with_suffix(".html"))

    def run_stage(self, book: Path, kernel: _Kernel, params: dict) -> dict:
        """Execute a stage's notebook and clean it; returns what its kernel reported, the
        files that appeared meanwhile and the seconds it took."""
        t0 = time.perf_counter()
        stage, stage_out, stage_processed = self.stage, self.stage_out, self.stage_processed
        before = _files_under(stage)
        executed = stage_out / "notebooks" / book.name
        on_cell = self.hand.on_cell if _stage_name(book) == "laporan" else None
        reported_by = _execute(book, executed, params, self.root, self.failed, kernel, on_cell)
        _clean_executed(
            executed, book, params, self.shown, self.root, is_synthetic_data(stage_processed)
        )
        new = _files_under(stage) - before
        return {"kernel": reported_by, "new": new, "seconds": time.perf_counter() - t0}

    def finish(self, index: int, book: Path, outcome: dict) -> None:
        """Record a stage that ran: its page rendered, its outputs, key and digest; its kernel
        stopped when no later notebook runs on it."""
        books, stage = self.books, self.stage
        last = index == len(books) - 1
        stage_name = _stage_name(book)
        executed = self.stage_out / "notebooks" / book.name
        self.interpreters.add(outcome["kernel"]["executable"])
        self.background.append(self.pool.submit(self.render_notebook, executed))
        new = outcome["new"] - self.claimed
        if stage_name in BESIDE:  # the next stage wrote files meanwhile too
            new = {f for f in new if f.startswith(BESIDE[stage_name])}
        files = sorted(new) + [
            f"report/notebooks/{book.name}",
            f"report/notebooks/{book.with_suffix('.html').name}",
        ]
        self.claimed.update(new)
        modules = _module_keys(outcome["kernel"].get("modules"), self.root)
        # hashed beside the next notebook (later stages only add files)
        digest = self.pool.submit(_digest, stage, files) if not last else None
        self.records[stage_name] = {
            "key": _stage_key(self.ctx, stage_name, book, last, modules, _done(self.upstream)),
            "modules": modules,
            "files": files,
            "digest": digest or _digest(stage, files),
        }
        self.upstream[stage_name] = self.records[stage_name]["digest"]
        if all(_lane(_stage_name(b)) != _lane(stage_name) for b in books[index + 1 :]):
            self.kernels.release(stage_name)  # no later notebook runs on its kernel
        self.ran.append(stage_name)
        self.log(f"  {book.name}: {outcome['seconds']:.1f} s")

    def finish_beside(self) -> None:
        """Record the stages run beside, once they are done."""
        while self.beside:
            index, book, running = self.beside.pop(0)
            self.finish(index, book, running.result())
