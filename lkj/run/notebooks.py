"""Executing a notebook (papermill, on a kernel of the run) and cleaning and rendering it.

:func:`_execute` runs a notebook on this interpreter (``lkj.run.engine``) into the staging
folder; :func:`_clean_executed` makes the executed notebook show no machine path (the folders
as :func:`_shown_paths` names them) and no random id; :func:`_render_linked` and
:func:`_write_rendered` make its HTML page for the reviewers (nbconvert,
``lkj.render.notebook_export``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lkj.core.errors import LkjError
from lkj.run.engine import _engine, _WrongKernel
from lkj.run.kernels import KERNEL_NAME, _Kernel, _Kernels
from lkj.run.paths import ROOT, Paths, _stage_name

# Error classes raised inside a notebook whose message is the whole story for the user.
USER_ERRORS = {"DataError", "DataErrors", "ConfigError", "LkjError"}


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
