"""The Typst child process of ``lkj.render_typst``: ``python -m lkj.typst_worker FOLDER``.

Compiles the job ``lkj.render_typst`` wrote in FOLDER (``lkj-job.json``: the main file, the
fonts folder, the PDF standard, the time stamp; ``lkj-doc.json``: the document) and writes
``lkj.pdf`` and ``lkj-places.json`` (the signature places the template marks). It imports
only Typst, so that the child starts at once and holds only Typst's memory.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def work(root: Path) -> None:
    """Compile the job in ``root``.

    Args:
        root: the compile folder holding the job.

    Raises:
        RuntimeError: Typst reported an error (its message and hints).
    """
    import typst

    job = json.loads((root / "lkj-job.json").read_text(encoding="utf-8"))
    inputs = (root / "lkj-doc.json").read_text(encoding="utf-8")
    try:
        compiler = typst.Compiler(
            job["main"],
            root=job["root"],
            font_paths=[job["fonts"]],
            ignore_system_fonts=True,
            sys_inputs={"lkj-doc": inputs},
        )
        pdf = compiler.compile(
            pdf_standards=[job["standard"]] if job["standard"] else [],
            timestamp=job["timestamp"],
        )
        places = json.loads(compiler.query(job["label"], field="value")) if job["query"] else []
    except typst.TypstError as exc:
        detail = "; ".join([exc.message, *getattr(exc, "hints", [])])
        raise RuntimeError(f"Typst: {detail}") from None
    (root / "lkj.pdf").write_bytes(pdf)
    (root / "lkj-places.json").write_text(json.dumps(places), encoding="utf-8")


if __name__ == "__main__":
    try:
        work(Path(sys.argv[1]))
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from None
