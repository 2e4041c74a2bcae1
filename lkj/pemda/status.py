"""What a pemda run did: each OPD's outcome, the run's result, the status file and the summary.

``status.json`` (outputs/pemda/<kode>/<YEAR>/) records per OPD the fingerprint of its last
build, its status and error, and the LKjIP's fingerprint and files: the next run skips what is
up to date (``lkj.pemda.batch``).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from lkj.data.sources import display_path
from lkj.data.workspace import PemdaData

STATUS_FILE = "status.json"


@dataclass
class OpdOutcome:
    """What happened to one OPD in this run."""

    kode_opd: str
    nama_opd: str
    status: str  # "dibangun", "mutakhir", "gagal", "tidak ada"
    error: str = ""
    kind: str = ""
    fingerprint: str = ""
    seconds: float | None = None
    rebuilt: bool = False
    worker: str = ""
    peak_worker_mb: float | None = None
    peak_kernel_mb: float | None = None
    peak_total_mb: float | None = None
    cpu_seconds: float | None = None
    kernels_reused: int | None = None  # kernels kept from an earlier task (lkj.run.kernel_pool)
    angka_berbeda: int | None = None  # stated figures (angka_tertulis) unlike the data

    @property
    def ok(self) -> bool:
        """True when the OPD has a report built from its current data."""
        return self.status in ("dibangun", "mutakhir")


@dataclass
class PemdaResult:
    """The outcome of ``run_pemda``."""

    year: int
    outcomes: list[OpdOutcome]
    output: Path
    lkjip_built: bool = False
    lkjip_files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[OpdOutcome]:
        """The OPDs whose report could not be built."""
        return [o for o in self.outcomes if o.status == "gagal"]

    @property
    def ok(self) -> bool:
        """True when no OPD failed."""
        return not self.failed

    @property
    def rebuilt(self) -> list[OpdOutcome]:
        """The OPDs built in this run."""
        return [o for o in self.outcomes if o.rebuilt]


def load_status(path: Path) -> dict:
    """The status file's content; {} when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, path)


def summary(pemda: PemdaData, result: PemdaResult) -> str:
    """The closing lines of a run: counts, each failure with its error, the products."""
    counts: dict[str, int] = {}
    for o in result.outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    order = ("dibangun", "mutakhir", "gagal", "tidak ada")
    parts = [f"{counts.get(s, 0)} {s}" for s in order if counts.get(s)]
    lines = [
        f"Pemda {pemda.info('nama_pemda')} {result.year}: {len(result.outcomes)} OPD "
        f"({', '.join(parts) or '-'}) dalam {result.seconds.get('total', 0):.1f} s"
    ]
    if not result.rebuilt and not result.lkjip_built:
        lines.append("Semua laporan sudah mutakhir, tidak ada yang dikerjakan.")
    for o in result.outcomes:
        if o.status == "tidak ada":
            lines.append(f"  tidak ada data: {o.kode_opd} {o.nama_opd}")
    for o in result.failed:
        note = "" if o.rebuilt else " (data tidak berubah sejak kegagalan terakhir)"
        lines.append(f"  GAGAL {o.kode_opd} {o.nama_opd}{note}:")
        lines.extend(f"    {line}" for line in o.error.splitlines())
    for path in result.lkjip_files:
        if path.suffix in (".pdf", ".html", ".docx"):
            lines.append(f"  {display_path(path)}")
    if (result.output / "index.html").is_file():
        lines.append(f"  {display_path(result.output / 'index.html')} (ringkasan semua OPD)")
    return "\n".join(lines)
