"""Run the report of a year: the notebooks in order (papermill), then HTML and PDF (nbconvert).

Takes data/raw/YEAR, notebooks/*.ipynb, lkj/ and config/lkj.toml; gives data/processed/YEAR
and outputs/YEAR (executed notebooks and their HTML, figures, LKj_YEAR.html, LKj_YEAR.pdf,
manifest.json). A run whose inputs did not change since the last good report does nothing.

Runs cannot hurt each other or the last good report:

* One run at a time per agency and year (``lkj.run.lock``); a second run waits, then usually
  finds the report up to date.
* Everything is built in a staging folder. data/processed/YEAR and outputs/YEAR are then
  replaced together, as one unit: a journal beside the output folder lists the renames before
  the first one is made, so that ``recover`` (run first by every run) can finish them (when
  all were made) or undo them (otherwise) after a kill at any moment. Both folders carry the id
  of the run that made them (manifest.json ``run``, ``.lkj-run`` in data/processed/YEAR).
* A rename that fails (on Windows: a report or CSV open in a viewer or Excel) undoes the
  renames already made and names the file to close.
* The notebooks run on this interpreter (``sys.executable``), never on a kernel looked up by
  name; the kernel reports its interpreter, which the manifest records.

Heavy libraries are imported inside the functions that need them, so that the no-op check
stays fast.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.core import resources
from lkj.core.errors import LkjError
from lkj.document.model import PRINT_DOCUMENT

ROOT = resources.ROOT
MANIFEST = "manifest.json"
# The run id of data/processed/YEAR; manifest.json of outputs/YEAR holds the same id ("run").
RUN_FILE = ".lkj-run"
# The kernel name papermill is given: only a label (the notebooks' own kernelspec name). The
# kernel itself is always this interpreter (see kernel_spec); no kernelspec is looked up.
KERNEL_NAME = "lkj"
ENGINE_NAME = "lkj"
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


SETTINGS_KEY = "settings:dokumen"


def fingerprint(paths: Paths, root: Path = ROOT, settings: dict | None = None) -> dict[str, str]:
    """Checksums of every input, keyed by path relative to the repository (or absolute).

    ``settings`` (the document settings in effect, command-line overrides included) is
    recorded too, as canonical JSON under :data:`SETTINGS_KEY`: a report built on A4 is not
    up to date for an F4 run.
    """
    out = {}
    if settings is not None:
        out[SETTINGS_KEY] = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    for path in input_files(paths, root):
        try:
            key = path.relative_to(root).as_posix()
        except ValueError:
            key = path.as_posix()
        out[key] = _sha256(path)
    return out


def journal_file(paths: Paths) -> Path:
    """The journal of the replacement of a year's folders: outputs/.lkj-YEAR.swap.json."""
    return paths.output.parent / f".lkj-{paths.output.name}.swap.json"


def _read_run(folder: Path) -> str | None:
    try:
        return (folder / RUN_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def is_up_to_date(paths: Paths, root: Path = ROOT, settings: dict | None = None) -> bool:
    """True when outputs/YEAR holds a complete report built from exactly the current inputs
    (and the same document ``settings``, see :func:`fingerprint`), by this interpreter, and
    data/processed/YEAR comes from the same run."""
    manifest = paths.output / MANIFEST
    if not manifest.is_file() or journal_file(paths).exists():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    products = [paths.output / name for name in recorded.get("outputs", [])]
    if not products or not all(p.is_file() for p in products):
        return False
    if not recorded.get("run") or _read_run(paths.processed) != recorded["run"]:
        return False
    if recorded.get("interpreter") != sys.executable:
        return False
    return recorded.get("inputs") == fingerprint(paths, root, settings)


# --- the kernel: this interpreter ----------------------------------------------------------


def kernel_spec(warm: str = "") -> object:
    """The Jupyter kernel spec the notebooks run on: ipykernel of this very interpreter.

    Built in memory at every run instead of looked up by name among the registered kernel
    specs, so that a kernel named ``lkj`` registered by another environment or checkout (or
    one whose interpreter was deleted) can never be used instead. Costs nothing. The kernel
    keeps no IPython history (no SQLite file shared by the kernels of a pemda's parallel runs).

    Args:
        warm: Python the kernel runs at start-up, before it says it is ready (the imports its
            notebooks will make, done while the run does other work); not shown in any
            notebook and not counted in its execution numbers.

    Returns:
        A ``jupyter_client.kernelspec.KernelSpec`` whose ``argv[0]`` is ``sys.executable``.
    """
    from jupyter_client.kernelspec import KernelSpec

    argv = [sys.executable]
    if sys.version_info >= (3, 11) and platform.python_implementation() == "CPython":
        argv.append("-Xfrozen_modules=off")  # as ipykernel registers it: no debugger warning
    argv += ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    argv.append("--HistoryManager.enabled=False")
    if warm:
        argv.append(f"--IPKernelApp.exec_lines={warm}")
    return KernelSpec(
        argv=argv,
        name=KERNEL_NAME,
        display_name="Python (lkj)",
        language="python",
        metadata={"debugger": True},
    )


# Evaluated by the kernel (an execute request's user expression, no output in the notebook).
_ASK_KERNEL = "__import__('json').dumps([__import__('sys').executable, __import__('sys').prefix])"

# The files of the lkj modules the kernel has imported (after the last cell).
_ASK_MODULES = (
    "__import__('json').dumps(sorted(getattr(m, '__file__', None) or '' for n, m in "
    "list(__import__('sys').modules.items()) if n == 'lkj' or n.startswith('lkj.')))"
)


class _WrongKernel(Exception):
    pass


# Run (silently) in a shared kernel before its next notebook: a namespace and execution
# counter as a new kernel has them; imported modules stay loaded (that is the saving).
_RESET = (
    "get_ipython().reset(new_session=True)\n"
    "import sys as _s\n"
    "if 'matplotlib.pyplot' in _s.modules: _s.modules['matplotlib.pyplot'].close('all')\n"
    "del _s\n"
    "__import__('gc').collect()"
)


@functools.lru_cache(maxsize=1)
def _kernel_manager_class() -> type:
    """jupyter_client's kernel manager, on :func:`kernel_spec` (with the lane's warm-up), whose
    clients are ready without waiting for IOPub to fall silent."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ReadyClient(AsyncKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            # As jupyter_client's (8.10), without its wait for 0.2 s of silence on IOPub
            # after the kernel_info reply, paid at the start of every notebook: the kernel is
            # ready once the reply and an IOPub message of that same request have arrived
            # (IOPub connected). Older IOPub messages are left: nbclient reads only those of
            # its own requests.
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                request = self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    with contextlib.suppress(Empty):
                        while True:
                            msg = await self.iopub_channel.get_msg(timeout=0.2)
                            if msg["parent_header"].get("msg_id") == request:
                                self._handle_kernel_info_reply(reply)
                                return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    class ThisInterpreterKernelManager(AsyncKernelManager):
        lkj_warm = ""

        @default("client_factory")
        def _lkj_client_factory(self) -> type:
            return ReadyClient

        @property
        def kernel_spec(self) -> object:
            if self._kernel_spec is None:
                self._kernel_spec = kernel_spec(self.lkj_warm)
            return self._kernel_spec

    return ThisInterpreterKernelManager


# The notebooks of a run share two kernels (lanes) instead of starting one each: a kernel
# costs about 1 s of start-up and its notebooks 1-3 s of imports (pandas, matplotlib). The
# data stages and the report run on one; the figures on the other, which starts (and imports
# matplotlib) while the data stages run on the first. The report notebook runs beside the
# grafik notebook (BESIDE): it links the figures instead of carrying them
# (STAGE_PARAMETERS), and its HTML page carries them. Between two notebooks of a lane the
# kernel's namespace and counter are reset (_RESET), so each executed notebook is what a
# fresh kernel gives. A notebook of another stage gets a lane of its own.
REPORT_STAGES = ("grafik", "laporan")
LANES = {"ingest": "data", "capaian": "data", "laporan": "data", "grafik": "grafik"}
BESIDE = {"grafik": ("report/figures/",)}
"""Stages run beside the next one, with the folders their outputs are in: the next stage
writes files meanwhile too, so a stage run beside counts as its outputs only the new files in
these folders (grafik: its figures); the next stage counts the rest."""
STAGE_PARAMETERS = {"laporan": {"FIGURES_LINKED": True}}
HAND_OVER_TAG = "dokumen-cetak"
"""Tag of the report notebook's cell that writes its document for the print job
(``lkj.render.laporan_html.write_print_document``): the print job starts once that cell has run."""
WORKBOOK_TAG = "data-mentah-cetak"
"""Tag of its cell that writes the raw-data workbook the PDF carries
(``lkj.render.laporan_html.write_data_workbook``): the PDF is laid out once that cell has run (and
the
figures are drawn), while the notebook shows the report's parts."""
_WARM_MODULES = {
    "data": ("lkj.data.ingest", "lkj.data.processed", "lkj.analysis.audit"),
    "grafik": ("lkj.document.laporan", "lkj.document.grafik"),
}


def warm_kernel(lane: str) -> None:
    """Import what the notebooks of ``lane`` import (and matplotlib for the figures), in a
    kernel that is starting; binds no name in its namespace. Run by the kernel's
    ``exec_lines`` (see :func:`kernel_spec`).

    The data lane imports at once: its notebook runs first and waits for them. The grafik
    lane's notebook runs only after the data stages, so it imports in a thread behind the
    others (:func:`lower_priority`) and its kernel is ready at once: at the start of a run
    the data kernel and the run's process get the cores, and the grafik kernel takes what
    they leave. A notebook that imports a module this thread is still importing waits for it.
    """
    import gc
    import importlib

    def imports() -> None:
        for name in _WARM_MODULES.get(lane, ()):
            importlib.import_module(name)
        if lane == "grafik":
            from lkj.document.grafik import pyplot

            pyplot()
        # What is imported lives as long as the kernel: the garbage collector need not walk
        # it again (every full collection, IPython's reset between notebooks included, then
        # walks only what the notebooks made).
        gc.freeze()

    if lane != "grafik":
        imports()
        return

    def behind() -> None:
        lower_priority()
        imports()

    threading.Thread(target=behind, name="lkj-warm", daemon=True).start()


def lower_priority(by: int = 10) -> None:
    """Run the calling thread behind the others of the machine: on Linux, where each thread
    has its own nice value, raise this thread's by ``by`` (the threads and processes it
    starts inherit it). Elsewhere nothing is changed."""
    if not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + by))
    except OSError:
        pass


def _warm_line(lane: str) -> str:
    return f"__import__('lkj.run.pipeline').run.pipeline.warm_kernel({lane!r})"


def _lane(stage: str) -> str:
    return LANES.get(stage, stage)


# Lines of a kernel's stderr that are noise here (not passed on).
KERNEL_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",  # ipykernel, when papermill shuts the kernel down
)


class _Kernel:
    """A kernel of the run: its manager, whether a notebook ran on it, its stderr file, and
    the client its notebooks share (its channels open: a new client waits for its IOPub
    subscription to take, 0.2-0.4 s per notebook)."""

    def __init__(self, manager: Any, stderr: Any) -> None:
        self.manager = manager
        self.stderr = stderr
        self.used = False
        self.client: Any = None
        self._shown = 0

    def close_client(self) -> None:
        """Close the shared client's channels."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None

    def pass_stderr(self) -> None:
        """Print what the kernel wrote to stderr since the last call, minus known noise."""
        self.stderr.flush()
        self.stderr.seek(self._shown)
        text = self.stderr.read()
        self._shown += len(text)
        for line in text.decode("utf-8", "replace").splitlines():
            if not any(noise in line for noise in KERNEL_NOISE):
                print(line, file=sys.stderr)


class _Kernels:
    """The kernels of one run, started ahead of need (:meth:`launch`), each stopped once its
    lane's last notebook has run (:meth:`release`), the rest at the end (:meth:`shutdown`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lanes: dict[str, _Kernel] = {}
        self.stopping: list[threading.Thread] = []

    def launch(self, stage: str) -> _Kernel:
        """The kernel of ``stage``'s lane, started now if it is not running yet."""
        from jupyter_core.utils import run_sync

        lane = _lane(stage)
        if lane not in self.lanes:
            manager = _kernel_manager_class()(kernel_name=KERNEL_NAME)
            manager.lkj_warm = _warm_line(lane)
            stderr = tempfile.TemporaryFile()
            run_sync(manager.start_kernel)(cwd=str(self.root), stderr=stderr)
            self.lanes[lane] = _Kernel(manager, stderr)
        return self.lanes[lane]

    def release(self, stage: str) -> None:
        """Stop the kernel of ``stage``'s lane, in a thread of its own: no later notebook of
        the run needs it (:meth:`shutdown` waits for it)."""
        kernel = self.lanes.pop(_lane(stage), None)
        if kernel is not None:
            kernel.close_client()
            stopping = threading.Thread(target=self._stop, args=(kernel,), name="lkj-kernel-stop")
            stopping.start()
            self.stopping.append(stopping)

    @staticmethod
    def _stop(kernel: _Kernel) -> None:
        from jupyter_core.utils import run_sync

        kernel.close_client()
        with contextlib.suppress(Exception):
            run_sync(kernel.manager.shutdown_kernel)(now=True)
        kernel.pass_stderr()
        kernel.stderr.close()

    def shutdown(self) -> None:
        """Stop every kernel of the run (also after a failure)."""
        for kernel in self.lanes.values():
            self._stop(kernel)
        self.lanes.clear()
        for stopping in self.stopping:
            stopping.join()
        self.stopping.clear()


@functools.lru_cache(maxsize=1)
def _engine() -> str:
    """Register (once) the papermill engine that runs on this interpreter; returns its name.

    It is papermill's nbclient engine with two changes: the kernel manager takes its kernel
    spec from :func:`kernel_spec`, and before the first cell the kernel is asked which
    interpreter runs it (``sys.executable``, ``sys.prefix``); the answer goes to the
    ``lkj_kernel`` dict the caller passes, and a kernel of another environment stops the run.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    ThisInterpreterKernelManager = _kernel_manager_class()

    class Client(PapermillNotebookClient):
        lkj_kernel: dict
        lkj_reset: bool = False

        def papermill_execute_cells(self) -> None:
            if self.lkj_reset:  # a kernel that ran a notebook already: start from nothing
                self.wait_for_reply(self.kc.execute(_RESET, silent=True, store_history=False))
            msg_id = self.kc.execute(
                "", silent=True, store_history=False, user_expressions={"lkj": _ASK_KERNEL}
            )
            reply = self.wait_for_reply(msg_id) or {}
            answer = reply.get("content", {}).get("user_expressions", {}).get("lkj", {})
            if answer.get("status") != "ok":
                raise _WrongKernel(f"kernel tidak menjawab: {answer.get('evalue', answer)}")
            executable, prefix = json.loads(ast.literal_eval(answer["data"]["text/plain"]))
            self.lkj_kernel.update(executable=executable, prefix=prefix)
            if not _same_environment(executable, prefix):
                raise _WrongKernel(
                    f"notebook dijalankan oleh {executable}, bukan oleh {sys.executable}"
                )
            super().papermill_execute_cells()
            # Which lkj modules the notebook used: the code part of its stage's fingerprint.
            msg_id = self.kc.execute(
                "", silent=True, store_history=False, user_expressions={"lkj": _ASK_MODULES}
            )
            reply = self.wait_for_reply(msg_id) or {}
            answer = reply.get("content", {}).get("user_expressions", {}).get("lkj", {})
            if answer.get("status") == "ok":
                self.lkj_kernel["modules"] = json.loads(
                    ast.literal_eval(answer["data"]["text/plain"])
                )

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: object,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: object = None,
            stderr_file: object = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: object,
        ) -> object:
            # As NBClientEngine.execute_managed_notebook, with our client and kernel manager.
            sink = kwargs.pop("lkj_kernel")
            shared = kwargs.pop("lkj_shared", None)
            on_cell = kwargs.pop("lkj_on_cell", None)
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                kernel_manager_class=ThisInterpreterKernelManager,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            if shared is not None:  # a kernel of the run, started ahead (_Kernels)
                final_kwargs["km"] = shared.manager
            client = Client(nb_man, **final_kwargs)
            if shared is not None and shared.client is not None:
                client.kc = shared.client  # the lane's client, its channels open
            client.lkj_kernel = sink
            client.lkj_reset = bool(shared is not None and shared.used)
            # The notebook is written once, when it ends (papermill's notebook_complete, also
            # after a failing cell), not at the start and end of every cell: a report's
            # notebook holds a megabyte of tables.
            nb_man.save = lambda **_kwargs: None
            if on_cell is not None:  # told of each cell that has run (also after an error)
                complete = nb_man.cell_complete

                def cell_complete(cell: Any, *args: Any, **kw: Any) -> Any:
                    done = complete(cell, *args, **kw)
                    on_cell(cell)
                    return done

                nb_man.cell_complete = cell_complete
            try:
                return client.execute()
            finally:
                del nb_man.save  # back to the class's method, for notebook_complete
                if shared is not None:
                    shared.used = True
                    shared.client = client.kc  # for the lane's next notebook

    papermill_engines.register(ENGINE_NAME, Engine)
    return ENGINE_NAME


def _same_environment(executable: str, prefix: str) -> bool:
    def norm(path: str) -> str:
        return os.path.normcase(os.path.abspath(path))

    return norm(executable) == norm(sys.executable) or norm(prefix) == norm(sys.prefix)


# --- test hook -----------------------------------------------------------------------------

# Test-only hook: LKJ_TEST_PAUSE=<point>[,<point>...] makes a run announce "LKJ_TEST_PAUSE
# <point>" on stderr and stop there (sleep) so that tests/test_interrupt.py can kill it at
# that exact moment. Points, in the order a run passes them: "swap" (staging complete, no
# journal, nothing replaced); "journal" (journal written, nothing renamed yet); "mid-processed"
# (data/processed/YEAR renamed away); "mid-output" (outputs/YEAR renamed away too: neither
# folder exists); "after-processed" (the new data/processed/YEAR in place); "after-output"
# (the new outputs/YEAR in place too: every rename made, the old copies and the journal not yet
# removed). Never set outside tests.
TEST_PAUSE_ENV = "LKJ_TEST_PAUSE"


def _test_pause(point: str) -> None:
    wanted = os.environ.get(TEST_PAUSE_ENV, "")
    if point in wanted.split(","):
        print(f"LKJ_TEST_PAUSE {point}", file=sys.stderr, flush=True)
        time.sleep(3600)


# --- replacing data/processed/YEAR and outputs/YEAR as one unit ----------------------------


def _user_path(path: Path) -> str:
    """A path as the user who typed the command sees it: relative to the current folder."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _write_journal(journal: Path, record: dict) -> None:
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, journal)


def _open_files(folder: Path, tag: str) -> list[Path]:
    """The files of ``folder`` that cannot be renamed (open in another program on Windows).

    Each file is renamed to a temporary name and back; the journal, still in place while this
    runs, lets ``recover`` finish a probe cut short.
    """
    blocked = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        probe = path.with_name(f"{path.name}.lkj-cek-{tag}")
        try:
            os.replace(path, probe)
        except OSError:
            blocked.append(path)
            continue
        os.replace(probe, path)
    return blocked


def _undo_probes(folder: Path) -> None:
    if not folder.is_dir():
        return
    for probe in folder.rglob("*.lkj-cek-*"):
        original = probe.with_name(probe.name.rsplit(".lkj-cek-", 1)[0])
        if original.exists():
            probe.unlink()
        else:
            os.replace(probe, original)


def _step_done(src: Path, dst: Path, away: bool) -> bool:
    # Moving a folder away: its .old- name is unique to the run, so it exists iff moved. Moving
    # a staged folder in: the staging name is unique too, so it is gone iff moved.
    return dst.exists() if away else not src.exists()


def _undo(done: list[tuple[Path, Path]]) -> None:
    for src, dst in reversed(done):
        os.replace(dst, src)


def replace_together(pairs: list[tuple[Path, Path, str]], journal: Path, tag: str) -> None:
    """Put each staged folder in the place of its target, all of them or none.

    First every existing target is renamed away (``.old-NAME-TAG`` beside it): these are the
    renames a file held open by another program makes fail, and they come before anything new
    is put in place. Then the staged folders are renamed into place; then the old copies are
    removed. The journal lists the renames before the first one is made and is removed last;
    after a kill, :func:`recover` reads it.

    Args:
        pairs: (staged folder, target, name) for each folder; name is the test-pause point
            suffix ("processed", "output").
        journal: the journal file.
        tag: unique to this run (the old copies are named with it).

    Raises:
        LkjError: a rename failed; every rename already made was undone, so every target is
            as it was. When files are open in another program, the message names them.
    """
    steps: list[tuple[Path, Path, bool, str]] = []
    for _, target, name in pairs:
        if target.exists():
            steps.append((target, target.with_name(f".old-{target.name}-{tag}"), True, name))
    for staged, target, name in pairs:
        steps.append((staged, target, False, name))
    record = {
        "run": tag,
        "steps": [[str(src), str(dst), away] for src, dst, away, _ in steps],
        "folders": [str(target) for _, target, _ in pairs],
    }
    try:
        _write_journal(journal, record)
    except OSError as exc:
        raise LkjError(
            f"{_user_path(journal)}: jurnal penggantian laporan tidak dapat ditulis "
            f"({exc.strerror or exc}); laporan sebelumnya tidak diubah"
        ) from None
    _test_pause("journal")
    done: list[tuple[Path, Path]] = []
    try:
        for src, dst, away, name in steps:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            done.append((src, dst))
            _test_pause(f"{'mid' if away else 'after'}-{name}")
    except OSError as exc:
        failed = src
        blocked: list[Path] = []
        try:
            _undo(done)
            if isinstance(exc, PermissionError) and failed.is_dir():
                blocked = _open_files(failed, tag)
        except OSError as undo_exc:
            raise LkjError(
                f"gagal memindahkan {_user_path(failed)} ({exc.strerror or exc}), lalu gagal "
                f"mengembalikan yang sudah dipindahkan ({undo_exc.strerror or undo_exc}). "
                f"Tutup program yang membuka laporan, lalu jalankan lagi: lkj memulihkannya."
            ) from None
        journal.unlink()
        if blocked:
            names = ", ".join(_user_path(p) for p in blocked)
            raise LkjError(
                f"laporan baru tidak dapat dipasang karena file dibuka program lain: tutup file "
                f"{names} lalu jalankan lagi. Laporan dan data olahan sebelumnya tidak diubah."
            ) from None
        raise LkjError(
            f"laporan baru tidak dapat dipasang: {_user_path(failed)} tidak dapat dipindahkan "
            f"({exc.strerror or exc}). Tutup file atau jendela yang membuka folder itu lalu "
            f"jalankan lagi. Laporan dan data olahan sebelumnya tidak diubah."
        ) from None
    except BaseException:  # e.g. Ctrl-C between two renames: back to the previous state
        _undo(done)
        journal.unlink()
        raise
    _finish(steps, journal)


def _finish(steps: list, journal: Path) -> None:
    """Every rename is made: remove the old copies, then the journal."""
    for _, dst, away, *_ in steps:
        if away:
            shutil.rmtree(dst, ignore_errors=True)
    journal.unlink()


def _recover_journal(journal: Path) -> None:
    """Finish or undo the replacement a killed run left, as its journal lists it.

    When every rename was made, the new folders are all in place: the old copies are removed
    (rolled forward). Otherwise the renames made are undone in reverse order (rolled back), so
    that the previous folders are all in place again. Either way all folders come from one run.
    """
    tmp = journal.with_name(journal.name + ".tmp")
    if tmp.exists():
        tmp.unlink()  # killed while writing it: nothing was renamed yet
    if not journal.exists():
        return
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        steps = [(Path(src), Path(dst), bool(away)) for src, dst, away in record["steps"]]
        folders = [Path(folder) for folder in record["folders"]]
        tag = str(record["run"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LkjError(
            f"{journal}: jurnal penggantian laporan tidak dapat dibaca ({exc}); periksa folder "
            f"laporan dan data olahan, lalu hapus file itu"
        ) from None
    try:
        for folder in folders:
            _undo_probes(folder)
            for old in folder.parent.glob(f".old-{folder.name}-{tag}"):
                _undo_probes(old)
        done = [(src, dst) for src, dst, away in steps if _step_done(src, dst, away)]
        if len(done) == len(steps):
            _finish(steps, journal)  # every rename was made: roll forward
            return
        _undo(done)  # roll back
        journal.unlink()
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else folders[-1]
        raise LkjError(
            f"laporan dari proses yang terhenti belum dapat dipulihkan: {_user_path(where)} "
            f"tidak dapat dipindahkan ({exc.strerror or exc}). Tutup file atau jendela yang "
            f"membukanya lalu jalankan lagi."
        ) from None


def _old_copies(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".old-{target.name}-*"))


def _recover_dir(target: Path) -> None:
    """Remove old copies of ``target`` that no journal claims (an earlier version's runs).

    If ``target`` is missing but an old copy exists, the old copy is the last good one and is
    put back. Old copies are deleted only when ``target`` exists.
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
    killed (power cut, SIGKILL, closed terminal): finish or undo the replacement of the two
    folders as the journal lists it, then remove staging and old copies. Safe to call at any
    time when no other run of the same agency and year is active (``run_report`` calls it
    first, holding the lock).
    """
    _recover_journal(journal_file(paths))
    for target in (paths.output, paths.processed):
        if target.parent.is_dir():
            _recover_dir(target)
    _cleanup_stale(paths.output.parent, paths.output.name)


def _cleanup_stale(parent: Path, name: str) -> None:
    """Remove the staging folders an interrupted earlier run of the folder ``name`` left."""
    if not parent.is_dir():
        return
    for stale in parent.glob(f".staging-{name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


# --- executing and rendering ---------------------------------------------------------------


def _execute(
    notebook: Path,
    target: Path,
    parameters: dict,
    root: Path,
    failed: Path,
    kernel: _Kernel | None = None,
    on_cell: Callable[[Any], None] | None = None,
) -> dict:
    """Execute ``notebook`` into ``target`` on this interpreter (on ``kernel``, a kernel of
    the run, or on a kernel of its own); ``on_cell`` is called with each cell that has run.

    Returns:
        What the kernel reported: ``executable`` and ``prefix`` (its ``sys.executable`` and
        ``sys.prefix``).

    Raises:
        LkjError: the notebook failed (``failed`` is where run_report keeps it), or the kernel
            runs in another environment.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    reported: dict = {}
    own = None
    if kernel is None:  # a kernel of its own, stopped when the notebook ends
        own = _Kernels(root)
        kernel = own.launch(_stage_name(notebook))
    try:
        papermill.execute_notebook(
            str(notebook),
            str(target),
            parameters=parameters,
            engine_name=_engine(),
            kernel_name=KERNEL_NAME,
            language="python",
            cwd=None,  # the kernel runs in root already; papermill's chdir is process-wide
            progress_bar=False,
            log_output=False,
            report_mode=False,
            lkj_kernel=reported,
            lkj_shared=kernel,
            lkj_on_cell=on_cell,
        )
    except PapermillExecutionError as exc:
        if exc.ename in USER_ERRORS:
            raise LkjError(exc.evalue) from None
        raise LkjError(
            f"notebook {notebook.name} gagal di sel {exc.exec_count}: {exc.ename}: {exc.evalue}\n"
            f"(notebook yang gagal disimpan di {failed})"
        ) from None
    except _WrongKernel as exc:
        raise LkjError(f"notebook {notebook.name}: {exc}") from None
    finally:
        kernel.pass_stderr()
        if own is not None:
            own.shutdown()
    return reported


def _shown_paths(paths: Paths, root: Path = ROOT) -> dict[str, str]:
    """The run's folders as the rendered notebooks show them, never as machine paths.

    Relative to the repository when inside it (``data/raw``, ``outputs/2022``); otherwise
    relative to the folder the run's data folders share (a workspace: ``raw``, ``out/2022``);
    failing that, the folder's name.
    """
    folders = [paths.raw_root, paths.processed, paths.output]
    try:
        base: Path | None = Path(os.path.commonpath([str(p) for p in folders]))
    except ValueError:  # different drives
        base = None
    if base is not None and len(base.parts) <= 1:
        base = None  # only the filesystem root in common

    def shown(path: Path) -> str:
        for anchor in (root, base):
            if anchor is None:
                continue
            try:
                return path.relative_to(anchor).as_posix() or "."
            except ValueError:
                pass
        return path.name

    return {
        "RAW_DIR": shown(paths.raw_root),
        "PROCESSED_DIR": shown(paths.processed),
        "OUTPUT_DIR": shown(paths.output),
        "CONFIG": shown(paths.config),
    }


def _path_replacements(parameters: dict, shown: dict[str, str], root: Path) -> list[tuple]:
    """(machine path, shown path) pairs, longest first, in both separator styles."""
    pairs = {}
    for key, value in shown.items():
        for form in (str(parameters[key]), Path(parameters[key]).as_posix()):
            pairs[form] = value
    for form in (str(root) + os.sep, root.as_posix() + "/"):
        pairs.setdefault(form, "")
    return sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)


def _scrub(text: str, replacements: list[tuple]) -> str:
    for machine, shown in replacements:
        text = text.replace(machine, shown)
    return text


def _clean_executed(
    executed: Path,
    book: Path,
    parameters: dict,
    shown: dict[str, str],
    root: Path,
    synthetic: bool = False,
) -> None:
    """Make the executed notebook show no machine path and no random id.

    The cell papermill injects (``injected-parameters``) gets a fixed id (papermill gives it a
    random one, which the HTML carries) and shows the final folders (``RAW_DIR = "data/raw"``,
    ``OUTPUT_DIR = "outputs/2022"``) instead of the staging folders the run wrote to; the
    papermill metadata likewise; printed text that names those folders is rewritten the same
    way. Timing metadata stays in the .ipynb (the HTML does not show it).
    """
    import nbformat
    from papermill.translators import translate_parameters

    values = {**parameters, **shown}
    replacements = _path_replacements(parameters, shown, root)
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
            cell["source"] = translate_parameters(KERNEL_NAME, "python", values, "Parameters")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = _scrub(output["text"], replacements)
            elif "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = _scrub(output["data"]["text/plain"], replacements)
    meta = nb.metadata.get("papermill")
    if meta is not None:
        meta["parameters"] = values
        meta["input_path"] = (
            book.relative_to(root).as_posix() if book.is_relative_to(root) else book.name
        )
        meta["output_path"] = f"{shown['OUTPUT_DIR']}/notebooks/{book.name}"
    if synthetic:  # every page rendered from it says DATA SINTETIS (lkj.render.notebook_export)
        nb.metadata.setdefault("lkj", {})["data_sintetis"] = True
    nbformat.write(nb, executed)


def is_synthetic_data(processed: Path) -> bool:
    """True when the ingested instansi.csv says ``data_sintetis = ya`` (a demo agency)."""
    from lkj.document.sampul import is_synthetic

    return is_synthetic(_instansi(processed))


def _instansi(processed: Path) -> Callable[[str], str]:
    """Lookup of the ingested instansi table (``lkj.document.sampul.info_lookup``'s): key -> value
    or
    "". Read as the text ingest wrote, without pandas: the run's process does not load it."""
    import csv

    path = Path(processed) / "instansi.csv"
    values: dict[str, str] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values[str(row.get("kunci") or "")] = row.get("nilai") or ""
    return lambda key: values.get(key, "")


def _html_exporter(hide_code: bool, dokumen: Any = None) -> Any:
    """One HTML exporter (its template environment is built once and reused)."""
    from lkj.render.notebook_export import LkjHtmlExporter

    return LkjHtmlExporter(hide_code=hide_code, dokumen=dokumen)


def _render_linked(
    executed: Path, hide_code: bool = False, dokumen: Any = None, exporter: Any = None
) -> str:
    """The HTML page of an executed notebook, the images it links (the report's figures,
    which may still be being drawn) left linked (:func:`_write_rendered` carries them in)."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    exporter = exporter or _html_exporter(hide_code, dokumen)
    resources = {"metadata": {"path": str(executed.parent)}, "lkj_embed_images": False}
    body, _ = exporter.from_notebook_node(nb, resources)
    return body


def _write_rendered(body: str, executed: Path, target: Path) -> str:
    """Carry the images ``body`` links (from the notebook's folder) into it and write it."""
    from lkj.render.page import embed_linked_images

    body = embed_linked_images(body, executed.parent)
    target.write_text(body, encoding="utf-8")
    return body


def _prepare_print(
    paths: Paths,
    processed: Path,
    output: Path,
    attachments: Path,
    dokumen: Any,
    reported: Any,
) -> Any:
    """The print job's start (lkj.run.cetak), once the tables are there, before the figures are
    drawn: the report's document as the report notebook hands it over (``reported``: done
    when its hand-over cell has run; None: build it, and the raw-data workbook, here)."""
    from lkj.run.cetak import prepare_print

    return prepare_print(
        paths.year,
        processed,
        output,
        paths.config,
        paths.raw,
        dokumen,
        attachments,
        synthetic=is_synthetic_data(processed),
        handed=reported.result,
    )


def _print_imports() -> None:
    """Import what the print job uses (the document model, python-docx, the page): not pandas
    nor the report's data, which the report notebook hands over (``lkj.run.cetak``)."""
    import lkj.document.model
    import lkj.render.page
    import lkj.render.to_docx  # noqa: F401


def _close_prepared(prepared: Any) -> None:
    if not prepared.cancelled() and prepared.exception() is None:
        prepared.result().close()


def _hands_over(book: Path) -> bool:
    """The report notebook has both tagged cells (:data:`HAND_OVER_TAG`, :data:`WORKBOOK_TAG`):
    the print job waits for them. A notebook of the user's without them: it does not."""
    import nbformat

    tags = {t for c in nbformat.read(book, as_version=4).cells for t in c.metadata.get("tags", [])}
    return {HAND_OVER_TAG, WORKBOOK_TAG} <= tags


def _write_print(prepared: Any, targets: tuple[Path, Path, Path], waits: tuple) -> None:
    """The PDF (Typst, PDF/A-3u with the raw data attached and the empty signature field),
    the DOCX and the HTML page of the report, from the prepared document, on the run's paper
    and settings, once the figures are drawn and the report notebook has written the raw-data
    workbook (``waits``: futures)."""
    from lkj.run.cetak import write_prepared

    def drawn() -> None:
        for waited in waits:
            waited.result()

    pdf, docx, html = targets
    # the PDF the moment its files are there; the DOCX and the page drafted meanwhile
    write_prepared(prepared.result(), pdf, docx, html, drawn=drawn)


def _pass_on(done: Any, figures: Any) -> None:
    """The grafik stage ended (``done``): its outcome for those waiting for the figures."""
    if figures.done():
        return
    if done.exception() is not None:
        figures.set_exception(done.exception())
    else:
        figures.set_result(None)


def _cover(paths: Paths, processed: Path, dokumen: Any) -> Any:
    """The cover's data (what it lacks, e.g. the lambang image; whether the data is
    synthetic), from the processed instansi table."""
    from lkj.document.sampul import cover_data

    return cover_data(_instansi(processed), paths.year, paths.raw, dokumen)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "typst", "babel"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out


# --- stages: only what changed is rebuilt -------------------------------------------------

# What each stage (notebook NN_<stage>) reads besides its own notebook, the lkj modules its
# kernel imported and the environment (constraints.txt, pyproject.toml, the interpreter):
# classes of input files (see _classify). The last notebook (the report) reads everything,
# document settings included; a stage not listed here too.
STAGE_READS = {
    "ingest": {"raw-year"},  # data/raw/YEAR without narasi/
    "capaian": {"config", "raw-earlier"},  # history: the earlier years' tables
    "grafik": {"config", "raw-year"},
}
ENV_FILES = ("constraints.txt", "pyproject.toml")


def _input_key(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _classify(paths: Paths, root: Path) -> dict[str, tuple[str, str]]:
    """The class of every input file and a name for it that does not depend on where the
    agency's folders are (raw files relative to the raw root, the configuration as "config"),
    by its fingerprint key: a copied or moved workspace keeps its stage keys."""
    out = {}
    for path in input_files(paths, root):
        key = _input_key(path, root)
        if path == paths.config:
            out[key] = ("config", "config")
        elif path.is_relative_to(root / "lkj"):
            out[key] = ("code", key)
        elif path.parent == root / "notebooks":
            out[key] = ("notebook", key)
        elif path.parent == root and path.name in ENV_FILES:
            out[key] = ("env", key)
        elif path.is_relative_to(paths.raw_root):
            rel = path.relative_to(paths.raw_root)
            kind = "raw-year" if rel.parts[0] == str(paths.year) else "raw-earlier"
            if len(rel.parts) > 2 and rel.parts[1] == "narasi":
                kind += "-narasi"
            out[key] = (kind, f"raw:{rel.as_posix()}")
        else:
            out[key] = ("other", key)
    return out


@dataclass
class _StageContext:
    """What every stage key of one run is computed from."""

    inputs: dict[str, str]  # fingerprint()
    classes: dict[str, tuple[str, str]]  # _classify()
    shown: dict[str, str]  # _shown_paths()
    year: int
    root: Path


def _stage_key(
    ctx: _StageContext,
    stage: str,
    book: Path,
    last: bool,
    modules: list[str] | None,
    upstream: dict[str, str],
) -> str:
    """The fingerprint of one stage: SHA-256 of the inputs it reads and of the outputs of the
    stages before it (``upstream``: stage -> digest of its outputs).

    Args:
        ctx: the run's inputs.
        stage: the stage name ("ingest").
        book: its notebook.
        last: the report stage (reads every input and the document settings).
        modules: fingerprint keys of the lkj modules its kernel imported; None: all of lkj/.
        upstream: digests of the earlier stages' outputs.
    """
    book_key = _input_key(book, ctx.root)
    reads = STAGE_READS.get(stage)
    selected = {}
    for key, digest in ctx.inputs.items():
        kind, name = ctx.classes.get(key, ("other" if key != SETTINGS_KEY else "settings", key))
        if last or reads is None:
            take = kind != "notebook" or key == book_key
        elif kind == "notebook":
            take = key == book_key
        elif kind == "code":
            take = modules is None or key in modules
        elif kind == "settings":
            take = False
        else:
            take = kind in ("env", "other") or kind in reads
        if take:
            selected[name] = digest
    payload = {
        "stage": stage,
        "inputs": selected,
        "upstream": upstream,
        "shown": ctx.shown,
        "year": ctx.year,
        "interpreter": sys.executable,
        "python": platform.python_version(),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stage_name(book: Path) -> str:
    """01_ingest.ipynb -> ingest."""
    return book.stem.split("_", 1)[1] if "_" in book.stem else book.stem


def _files_under(stage: Path) -> set[str]:
    """Files of the staging folder's processed/ and report/ (without report/notebooks/)."""
    out = set()
    for sub in ("processed", "report"):
        for folder, subfolders, files in os.walk(stage / sub):
            rel = Path(folder).relative_to(stage).as_posix()
            if rel == "report/notebooks":
                subfolders[:] = []
                continue
            out.update(f"{rel}/{name}" for name in files)
    return out


def _done(upstream: dict[str, Any]) -> dict[str, str]:
    """The stages' digests, waiting for those still being computed (futures)."""
    return {k: v.result() if hasattr(v, "result") else v for k, v in upstream.items()}


def _digest(stage: Path, files: list[str]) -> str:
    """SHA-256 over the names and contents of a stage's data outputs (processed tables,
    figures); the executed notebooks (which hold timings) are left out."""
    h = hashlib.sha256()
    for rel in sorted(files):
        if not rel.startswith("report/notebooks/"):
            h.update(rel.encode("utf-8") + b"\0" + _sha256(stage / rel).encode("ascii") + b"\n")
    return h.hexdigest()


def _module_keys(files: list[str] | None, root: Path) -> list[str] | None:
    if files is None:
        return None
    return sorted({_input_key(Path(f), root) for f in files if f})


def _previous_run(paths: Paths) -> dict | None:
    """The manifest of the last good report when its stages can be reused: both folders come
    from the same run, on this interpreter, with no replacement pending. None otherwise."""
    if journal_file(paths).exists():
        return None
    try:
        manifest = json.loads((paths.output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("stages"), dict):
        return None
    if not manifest.get("run") or _read_run(paths.processed) != manifest["run"]:
        return None
    if manifest.get("interpreter") != sys.executable:
        return None
    return manifest


def _old_location(paths: Paths, rel: str) -> Path:
    """Where a staging-relative file of the last good run is now."""
    sub, _, rest = rel.partition("/")
    return (paths.processed if sub == "processed" else paths.output) / rest


def _reuse_stage(paths: Paths, record: dict, stage: Path) -> str | None:
    """Copy a stage's outputs of the last good run into the staging folder (the last good
    report is only read, never changed). Returns their digest, or None (nothing copied) when a
    file is missing or differs from what that run recorded."""
    files = record.get("files") or []
    sources = [(_old_location(paths, rel), stage / rel) for rel in files]
    if not files or not all(src.is_file() for src, _ in sources):
        return None
    copied = []
    try:
        for src, dst in sources:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            copied.append(dst)
        digest = _digest(stage, files)
    except OSError:
        digest = None
    if digest != record.get("digest"):
        for dst in copied:
            dst.unlink(missing_ok=True)
        return None
    return digest


def _stages_to_run(prev: dict | None, ctx: _StageContext, books: list[Path]) -> list[str]:
    """The stages this run will (very likely) execute: from the first whose key no longer
    matches the last good run's record onwards (the report stage always). Only to start
    their kernels early; the run itself decides each stage as it comes."""
    upstream: dict[str, str] = {}
    names = [_stage_name(book) for book in books]
    for index, book in enumerate(books[:-1]):
        record = (prev or {}).get("stages", {}).get(names[index])
        if not isinstance(record, dict):
            return names[index:]
        key = _stage_key(ctx, names[index], book, False, record.get("modules"), dict(upstream))
        if key != record.get("key"):
            return names[index:]
        upstream[names[index]] = str(record.get("digest"))
    return names[-1:]


def _reusable_stages(paths: Paths, ctx: _StageContext, books: list[Path]) -> dict | None:
    """The last good run's records of the stages before the report whose key still matches
    (checked in order, each with the recorded digests of the ones before it), or None."""
    prev = _previous_run(paths)
    if prev is None:
        return None
    upstream: dict[str, str] = {}
    records = {}
    for book in books[:-1]:
        name = _stage_name(book)
        record = prev["stages"].get(name)
        if not isinstance(record, dict):
            return None
        key = _stage_key(ctx, name, book, False, record.get("modules"), dict(upstream))
        if key != record.get("key"):
            return None
        records[name] = record
        upstream[name] = str(record.get("digest"))
    return records


# --- the run -------------------------------------------------------------------------------


def run_report(
    paths: Paths,
    force: bool = False,
    root: Path = ROOT,
    log: Callable[[str], None] = print,
    kertas: str | None = None,
) -> bool:
    """Build the report of ``paths.year`` unless it is already up to date.

    Holds the lock of the agency and year (``lkj.run.lock.year_lock``) while it works: a second run
    waits for the first, then usually finds the report up to date. The no-op check is made
    first without the lock (it only reads, and a run in progress makes it fail), so that a
    no-op stays fast.

    Args:
        paths: where inputs and outputs live.
        force: rebuild even if nothing changed.
        root: the repository (holds notebooks/ and lkj/).
        log: where progress lines go.
        kertas: paper for this run ("A4", "F4"), overriding ``[dokumen] kertas`` of the
            configuration.

    Returns:
        True if a report was built, False if it was already up to date.

    Raises:
        LkjError: bad data, a failing step, a file that cannot be replaced, or another run that
            did not finish in time; outputs/YEAR and data/processed/YEAR are as they were.
    """
    from lkj.core.config import load_config

    year = paths.year
    dokumen = load_config(paths.config).dokumen.with_paper(kertas)
    settings = dokumen.settings()
    if not force and is_up_to_date(paths, root, settings):
        log(f"Laporan {year} sudah mutakhir, tidak ada yang dikerjakan: {paths.output}")
        return False
    from lkj.run.lock import year_lock

    with year_lock(year, paths.raw_root, paths.output, doing="membuat laporan", log=log):
        recover(paths)
        if not force and is_up_to_date(paths, root, settings):
            log(f"Laporan {year} sudah mutakhir, tidak ada yang dikerjakan: {paths.output}")
            return False
        return _build(paths, root, log, dokumen, reuse=not force)


def _build(paths: Paths, root: Path, log: Callable[[str], None], dokumen: Any, reuse: bool) -> bool:
    from concurrent.futures import Future, ThreadPoolExecutor

    year = paths.year
    settings = dokumen.settings()
    if not paths.raw.is_dir():
        raise LkjError(f"{paths.raw}: folder data mentah tahun {year} tidak ditemukan")
    books = notebooks(root)
    if not books:
        raise LkjError(f"{root / 'notebooks'}: tidak ada notebook NN_*.ipynb")

    inputs = fingerprint(paths, root, settings)
    run = uuid.uuid4().hex
    parent, name = paths.output.parent, paths.output.name
    stage = parent / f".staging-{name}-{run[:8]}"
    failed = parent / f".gagal-{name}"
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
    shown = _shown_paths(paths, root)
    ctx = _StageContext(inputs, _classify(paths, root), shown, year, root)
    prev = _previous_run(paths) if reuse else None
    started = time.perf_counter()
    journal = journal_file(paths)
    html_name, pdf_name, docx_name = f"LKj_{year}.html", f"LKj_{year}.pdf", f"LKj_{year}.docx"
    try:
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
            background: list[Future] = []
            prepared: Future | None = None
            figures: Future = Future()  # done when the figures are drawn (or reused)
            # the report notebook's document file (or None), once its hand-over cell has run
            reported: Future = Future()
            report_done: Future = Future()  # and once its raw-data workbook is written
            kernels = _Kernels(root)
            try:
                interpreters = set()
                upstream: dict[str, str] = {}
                records: dict[str, dict] = {}
                ran, reused = [], []
                for name in _stages_to_run(prev, ctx, books):  # kernels start first
                    kernels.launch(name)
                exporter_lock = threading.Lock()
                exporters: list = []

                def exporter() -> Any:
                    with exporter_lock:  # made once, in the background thread, and reused
                        if not exporters:
                            exporters.append(_html_exporter(hide_code=False))
                    return exporters[0]

                # A notebook whose stage runs while another still draws the figures it links
                # is rendered at once (rendered[path]: a future of its page, figures linked);
                # its page is written, the figures carried in, in the stages' order.
                rendered: dict[Path, Future] = {}

                def render_notebook(executed: Path) -> str:
                    early = rendered.pop(executed, None)
                    body = (
                        early.result()
                        if early is not None
                        else _render_linked(executed, exporter=exporter())
                    )
                    return _write_rendered(body, executed, executed.with_suffix(".html"))

                # A stage of BESIDE runs in a thread of its own beside the next stage (the
                # report notebook links the figures the grafik stage draws meanwhile); the
                # stages are recorded, logged and rendered in their order all the same.
                beside: list[tuple[int, Path, Future]] = []
                claimed: set[str] = set()  # files already counted as a stage's outputs

                def run_stage(book: Path, kernel: _Kernel, params: dict) -> dict:
                    t0 = time.perf_counter()
                    before = _files_under(stage)
                    executed = stage_out / "notebooks" / book.name

                    def handed_over(cell: Any) -> None:  # the print job goes on from it now
                        ran = not cell.get("metadata", {}).get("papermill", {}).get("exception")
                        tags = cell.get("metadata", {}).get("tags", [])
                        if HAND_OVER_TAG in tags and ran and not reported.done():
                            reported.set_result(stage_processed / PRINT_DOCUMENT)
                        if WORKBOOK_TAG in tags and ran and not report_done.done():
                            report_done.set_result(None)

                    on_cell = handed_over if _stage_name(book) == "laporan" else None
                    reported_by = _execute(book, executed, params, root, failed, kernel, on_cell)
                    _clean_executed(
                        executed, book, params, shown, root, is_synthetic_data(stage_processed)
                    )
                    new = _files_under(stage) - before
                    return {"kernel": reported_by, "new": new, "seconds": time.perf_counter() - t0}

                def finish(index: int, book: Path, outcome: dict) -> None:
                    last = index == len(books) - 1
                    stage_name = _stage_name(book)
                    executed = stage_out / "notebooks" / book.name
                    interpreters.add(outcome["kernel"]["executable"])
                    background.append(pool.submit(render_notebook, executed))
                    new = outcome["new"] - claimed
                    if stage_name in BESIDE:  # the next stage wrote files meanwhile too
                        new = {f for f in new if f.startswith(BESIDE[stage_name])}
                    files = sorted(new) + [
                        f"report/notebooks/{book.name}",
                        f"report/notebooks/{book.with_suffix('.html').name}",
                    ]
                    claimed.update(new)
                    modules = _module_keys(outcome["kernel"].get("modules"), root)
                    # hashed beside the next notebook (later stages only add files)
                    digest = pool.submit(_digest, stage, files) if not last else None
                    records[stage_name] = {
                        "key": _stage_key(ctx, stage_name, book, last, modules, _done(upstream)),
                        "modules": modules,
                        "files": files,
                        "digest": digest or _digest(stage, files),
                    }
                    upstream[stage_name] = records[stage_name]["digest"]
                    if all(_lane(_stage_name(b)) != _lane(stage_name) for b in books[index + 1 :]):
                        kernels.release(stage_name)  # no later notebook runs on its kernel
                    ran.append(stage_name)
                    log(f"  {book.name}: {outcome['seconds']:.1f} s")

                def finish_beside() -> None:
                    while beside:
                        index, book, running = beside.pop(0)
                        finish(index, book, running.result())

                for index, book in enumerate(books):
                    last = index == len(books) - 1
                    stage_name = _stage_name(book)
                    if prepared is None and (stage_name in REPORT_STAGES or last):
                        # The tables are there: the report's document is built now, beside
                        # the figures being drawn (lkj.run.cetak.prepare_print).
                        prepared = printer.submit(
                            _prepare_print,
                            paths,
                            stage_processed,
                            stage_out,
                            stage / "lampiran",
                            dokumen,
                            reported,
                        )
                        background.append(prepared)
                    if last:
                        # PDF (Typst), DOCX and HTML page from that one document, once the
                        # figures are drawn, while the report notebook runs (it shows the
                        # same parts).
                        if not beside and not figures.done():
                            figures.set_result(None)  # none are being drawn
                        background.append(
                            printer.submit(
                                _write_print,
                                prepared,
                                (
                                    stage_out / pdf_name,
                                    stage_out / docx_name,
                                    stage_out / html_name,
                                ),
                                (figures, report_done),
                            )
                        )
                    record = (prev or {}).get("stages", {}).get(stage_name)
                    if isinstance(record, dict) and not last:
                        key = _stage_key(
                            ctx, stage_name, book, last, record.get("modules"), _done(upstream)
                        )
                        digest = (
                            _reuse_stage(paths, record, stage) if key == record.get("key") else None
                        )
                        if digest is not None:
                            interpreters.add(sys.executable)
                            records[stage_name] = record
                            upstream[stage_name] = digest
                            reused.append(stage_name)
                            if stage_name == "laporan":
                                reported.set_result(stage_processed / PRINT_DOCUMENT)
                                report_done.set_result(None)
                            log(
                                f"  {book.name}: tidak berubah, dipakai ulang dari laporan "
                                "sebelumnya"
                            )
                            continue
                    kernel = kernels.launch(stage_name)
                    for later in books[index + 1 :]:  # their kernels start (and import) now
                        kernels.launch(_stage_name(later))
                    params = {**parameters, **STAGE_PARAMETERS.get(stage_name, {})}
                    if stage_name == "laporan" and not _hands_over(book):
                        reported.set_result(None)  # the print job builds the document now
                        report_done.set_result(None)
                    if stage_name in BESIDE and not last:
                        running = stager.submit(run_stage, book, kernel, params)
                        running.add_done_callback(lambda done: _pass_on(done, figures))
                        beside.append((index, book, running))
                        continue
                    try:
                        outcome = run_stage(book, kernel, params)
                        if stage_name == "laporan":  # its document, workbook: all written
                            if not reported.done():
                                reported.set_result(stage_processed / PRINT_DOCUMENT)
                            if not report_done.done():
                                report_done.set_result(None)
                        if beside:  # its page now, while the figures are being drawn
                            executed = stage_out / "notebooks" / book.name
                            rendered[executed] = pool.submit(
                                lambda path=executed: _render_linked(path, exporter=exporter())
                            )
                    except BaseException:
                        for _, _, running in beside:  # an earlier stage's failure first
                            if running.exception() is not None:
                                raise running.exception() from None
                        raise
                    finish_beside()
                    finish(index, book, outcome)
                    if index == 0:  # the print job's modules, once the data kernel is up
                        background.append(printer.submit(_print_imports))
                finish_beside()
                if not figures.done():
                    figures.set_result(None)
                if not reported.done():
                    reported.set_result(None)
                if not report_done.done():
                    report_done.set_result(None)
                log(
                    f"  tahap dijalankan: {', '.join(ran) or '-'}; dipakai ulang: "
                    f"{', '.join(reused) or '-'}"
                )
                t0 = time.perf_counter()
                cover = _cover(paths, stage_processed, dokumen)
                for note in cover.notes:
                    log(f"  Catatan: {note}")
                for job in background:
                    job.result()
                for record in records.values():
                    record["digest"] = _done({"": record["digest"]})[""]
            except BaseException:
                if not figures.done():  # the print job waits for them no longer
                    figures.set_exception(LkjError("grafik tidak digambar: laporan dihentikan"))
                for waited in (reported, report_done):
                    if not waited.done():
                        waited.set_exception(LkjError("laporan dihentikan"))
                for job in background:
                    job.cancel()
                if prepared is not None:  # its PDF child process is not needed
                    prepared.add_done_callback(_close_prepared)
                raise
            finally:
                kernels.shutdown()
        log(f"  HTML + PDF + DOCX: {time.perf_counter() - t0:.1f} s")
        products = sorted(
            p.relative_to(stage_out).as_posix() for p in stage_out.rglob("*") if p.is_file()
        )
        manifest = {
            "year": year,
            "run": run,
            "inputs": inputs,
            "outputs": products,
            "stages": records,
            "dokumen": settings,
            "sintetis": cover.synthetic,
            "interpreter": interpreters.pop() if len(interpreters) == 1 else sorted(interpreters),
            "versions": _versions(),
        }
        (stage_out / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        (stage_processed / RUN_FILE).write_text(run + "\n", encoding="utf-8")
        _test_pause("swap")
        replace_together(
            [(stage_processed, paths.processed, "processed"), (stage_out, paths.output, "output")],
            journal,
            run[:8],
        )
    except BaseException:
        with contextlib.suppress(LkjError):  # normally done already by replace_together
            _recover_journal(journal)
        if not journal.exists():  # else the journal still names the staged folders: keep them
            shutil.rmtree(failed, ignore_errors=True)
            if stage.exists():
                try:
                    os.replace(stage, failed)
                except OSError:
                    shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        if not journal.exists():
            shutil.rmtree(stage, ignore_errors=True)
    log(
        f"Laporan {year} selesai dalam {time.perf_counter() - started:.1f} s:\n"
        f"  {paths.output / pdf_name}\n  {paths.output / html_name}\n  {paths.output / docx_name}"
    )
    sys.stdout.flush()
    return True


# --- the preview: the HTML report only, after an edit --------------------------------------

PREVIEW_SUFFIX = "-pratinjau"
PREVIEW_MARK = "PRATINJAU — bukan laporan resmi"
PREVIEW_CLASS = "lkj-pratinjau"
_PREVIEW_BANNER = (
    f'<div class="{PREVIEW_CLASS}" role="note" style="position:sticky;top:0;z-index:9;'
    'padding:.4em 1em;background:#b00020;color:#fff;font-weight:bold;text-align:center">'
    f"{PREVIEW_MARK}</div>"
)


def preview_folder(paths: Paths) -> Path:
    """Where the preview goes: beside the report folder, never in it (outputs/2022-pratinjau)."""
    return paths.output.with_name(paths.output.name + PREVIEW_SUFFIX)


def preview_file(paths: Paths) -> Path:
    """The preview page: outputs/YEAR-pratinjau/LKj_YEAR_pratinjau.html."""
    return preview_folder(paths) / f"LKj_{paths.year}_pratinjau.html"


def run_preview(
    paths: Paths,
    root: Path = ROOT,
    log: Callable[[str], None] = print,
    kertas: str | None = None,
) -> Path:
    """Build the HTML report only (no PDF, no DOCX, no notebooks), marked as a preview.

    Calls the functions the report notebook calls (``lkj.document.laporan``) in this process, on the
    processed data and figures of the last good report (only read). When the inputs of ingest,
    capaian or grafik changed since then (or there is no report yet), those three are done
    here in plain Python into the preview's own folder. The page goes to
    :func:`preview_file`, beside outputs/YEAR, never over it; it carries
    :data:`PREVIEW_MARK` at the top and in its title.

    Args:
        paths: where inputs and outputs live.
        root: the repository.
        log: where progress lines go.
        kertas: paper for the page's print style ("A4", "F4").

    Returns:
        The preview page.

    Raises:
        LkjError: bad data, or another run that did not finish in time.
    """
    from lkj.core.config import load_config
    from lkj.document import laporan
    from lkj.run.lock import year_lock

    started = time.perf_counter()
    year = paths.year
    if not paths.raw.is_dir():
        raise LkjError(f"{paths.raw}: folder data mentah tahun {year} tidak ditemukan")
    dokumen = load_config(paths.config).dokumen.with_paper(kertas)
    target = preview_file(paths)
    folder = target.parent
    with year_lock(year, paths.raw_root, paths.output, doing="membuat pratinjau", log=log):
        recover(paths)
        books = notebooks(root)
        settings = dokumen.settings()
        ctx = _StageContext(
            fingerprint(paths, root, settings),
            _classify(paths, root),
            _shown_paths(paths, root),
            year,
            root,
        )
        reusable = _reusable_stages(paths, ctx, books) if books else None
        folder.mkdir(parents=True, exist_ok=True)
        work = folder / f".kerja-{uuid.uuid4().hex[:8]}"
        try:
            if reusable is not None:
                processed = paths.processed
                log(f"  data olahan dan grafik dari laporan terakhir: {paths.output}")
                d = laporan.load_report_data(
                    paths.year, processed, paths.output, paths.config, paths.raw
                )
            else:
                processed = work / "processed"
                log("  data berubah sejak laporan terakhir: ingest, capaian, grafik dihitung ulang")
                d = _plain_stages(paths, processed, work)
            html, remote = _preview_html(d, dokumen, is_synthetic_data(processed))
            if remote:
                log(f"  peringatan: halaman merujuk sumber daring: {', '.join(remote[:5])}")
            tmp = folder / f".{target.name}.{uuid.uuid4().hex[:8]}"
            tmp.write_text(html, encoding="utf-8")
            os.replace(tmp, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    log(
        f"Pratinjau {year} (HTML saja, {PREVIEW_MARK}) selesai dalam "
        f"{time.perf_counter() - started:.1f} s:\n  {target}"
    )
    return target


def _plain_stages(paths: Paths, processed: Path, output: Path) -> Any:
    """What notebooks 01-03 do, in this process: processed tables (the history of the years
    among them) and figures. Returns the report's data (``lkj.document.laporan.ReportData``)."""
    from lkj.analysis.capaian import compute_results
    from lkj.analysis.riwayat import load_history, write_history
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import read_processed_tables, write_tables
    from lkj.document import laporan

    raw = read_raw(paths.year, paths.raw_root)
    write_tables(raw.tables, processed)
    config = load_config(paths.config)
    results = compute_results(read_processed_tables(processed), paths.year, config)
    write_tables(results.tables(), processed)
    write_history(load_history(paths.raw_root, paths.year, config, current=results), processed)
    d = laporan.load_report_data(paths.year, processed, output, paths.config, paths.raw)
    laporan.draw_figures(d)
    return d


def _preview_html(d: Any, dokumen: Any, synthetic: bool) -> tuple[str, list[str]]:
    """The report page as notebook 04 and the HTML export make it, with the preview mark:
    the same parts (``lkj.render.laporan_html.report_parts``), laid out by
    ``lkj.render.page.report_page`` in
    the exporter's markup without nbconvert. Returns the page and the remote resources it
    refers to (none when self-contained)."""
    from lkj.render.laporan_html import report_parts
    from lkj.render.page import report_page

    parts = [_PREVIEW_BANNER, *report_parts(d)]
    html, remote = report_page(parts, dokumen, synthetic=synthetic)
    return html.replace("<title>", f"<title>{PREVIEW_MARK}: ", 1), remote
