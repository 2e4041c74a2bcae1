"""The record of a signing: which data and settings the signed report was built from.

Written beside each signed copy (``arsip/YEAR/LKj_YEAR_ditandatangani_<stamp>.json``) by
``lkj tandatangan``; read by ``lkj paket``, which refuses a report whose data or settings
changed since it was signed. Only data and settings count: the fingerprints of lkj's own code,
its notebooks and environment are left out, so that a newer lkj alone is never a reason to
refuse.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

CODE_PREFIXES = ("lkj/", "notebooks/")
ENV_FILES = ("constraints.txt", "pyproject.toml")


def data_inputs(inputs: dict[str, str]) -> dict[str, str]:
    """The fingerprint's data, configuration and settings entries (code and environment out)."""
    return {
        k: v
        for k, v in inputs.items()
        if not k.startswith(CODE_PREFIXES)
        and "/lkj/" not in k
        and "/notebooks/" not in k
        and k not in ENV_FILES
    }


def record_path(signed: Path) -> Path:
    """The record beside a signed copy."""
    return signed.with_suffix(".json")


def write_record(
    signed: Path, paths: Any, manifest: dict | None, signer: str, when: datetime, source: Path
) -> Path:
    """Write the record of ``signed``: the data and settings it was built from (the report's
    manifest; for another PDF, the inputs as they are now), who signed and when."""
    from lkj.core.config import load_config
    from lkj.run.paths import ROOT, fingerprint

    manifest = manifest or {}
    settings = manifest.get("dokumen") or load_config(paths.config).dokumen.settings()
    inputs = manifest.get("inputs") or fingerprint(paths, ROOT, settings)
    record = {
        "tahun": paths.year,
        "berkas": signed.name,
        "sumber": str(source),
        "run": manifest.get("run"),
        "ditandatangani_oleh": signer,
        "waktu": when.astimezone().isoformat(timespec="seconds"),
        "dokumen": settings,
        "masukan": data_inputs(inputs),
    }
    target = record_path(signed)
    target.write_text(
        json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return target


def read_record(signed: Path) -> dict | None:
    """The record of ``signed``, or None when it has none (signed by an older lkj)."""
    try:
        return json.loads(record_path(signed).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def changed_since(record: dict, now: dict[str, str]) -> list[str]:
    """The data and settings entries that differ between the record and ``now`` (a current
    fingerprint), each "name (berubah|baru|hilang)"."""
    before, after = record.get("masukan", {}), data_inputs(now)
    out = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            out.append(f"{key} (baru)")
        elif key not in after:
            out.append(f"{key} (hilang)")
        elif before[key] != after[key]:
            out.append(f"{key} (berubah)")
    return out
