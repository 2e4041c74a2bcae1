"""The stages of a run (one per notebook NN_<stage>): only what changed is rebuilt.

Each stage's key (:func:`_stage_key`) is the checksum of the inputs it reads (the classes of
:data:`STAGE_READS`, the lkj modules its kernel imported, the environment) and of the outputs
of the stages before it. When a stage's key matches the one the last good report recorded
(manifest.json ``stages``), its outputs are copied from that report instead of running its
notebook again (:func:`_reuse_stage`); the preview reads them in place
(:func:`_reusable_stages`).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.run.paths import (
    MANIFEST,
    SETTINGS_KEY,
    Paths,
    _read_run,
    _sha256,
    _stage_name,
    input_files,
    journal_file,
)

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
